using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;

namespace TransferKit.Tests.Kernels.Convolution;

/// <summary>
/// The depthwise forward pass with the channels in the vector lanes (<see cref="DepthwiseChannelsLastConv2d"/>) against
/// the naive twin, and against the phase split bit for bit (both add the same taps in the same order), over channel
/// counts around the 64-channel block and the 8 x 8 transpose tiles, planes from 1x1 to 17x17, kernels 1x1 to 7x7 and
/// non-square ones, strides 1 to 3, paddings from none to wider than the kernel's reach, every activation and a
/// residual; the geometries it refuses, and where it is preferred.
/// </summary>
public unsafe class DepthwiseChannelsLastConv2dTests
{
    // (batch, channels, height, width, kernel height, kernel width, stride, pad height, pad width)
    public static TheoryData<int, int, int, int, int, int, int, int, int> Handled => new()
    {
        { 2, 64, 7, 7, 3, 3, 1, 1, 1 },
        { 3, 70, 14, 14, 3, 3, 2, 1, 1 },
        { 1, 5, 7, 7, 5, 5, 1, 2, 2 },
        { 2, 130, 14, 14, 5, 5, 2, 2, 2 },
        { 1, 8, 1, 1, 3, 3, 1, 1, 1 },
        { 2, 17, 2, 3, 3, 3, 1, 1, 1 },
        { 1, 9, 8, 8, 3, 3, 1, 0, 0 },
        { 1, 24, 9, 11, 7, 7, 1, 3, 3 },
        { 2, 33, 10, 10, 3, 5, 1, 1, 2 },
        { 1, 16, 13, 9, 1, 1, 2, 0, 0 },
        { 1, 40, 17, 17, 3, 3, 3, 1, 1 },
        { 2, 128, 6, 6, 3, 3, 1, 2, 2 },
        { 1, 7, 5, 5, 3, 3, 2, 2, 0 },
    };

    [Theory]
    [MemberData(nameof(Handled))]
    public void MatchesTheNaiveTwinAndThePhaseSplitsBits(int batch, int channels, int height, int width,
        int kernelHeight, int kernelWidth, int stride, int padHeight, int padWidth)
    {
        if (!RunsHere()) return;
        var g = new Conv2dGeometry(batch, channels, height, width, channels, kernelHeight, kernelWidth, stride, stride,
            padHeight, padWidth, Groups: channels);
        Assert.True(DepthwiseChannelsLastConv2d.Handles(g), $"{g} should be handled");
        DepthwiseOracle.CheckThreeWays(g, channels * 7 + width, DepthwiseChannelsLastConv2d.Forward, "with channels in the lanes");
    }

    [Fact]
    public void RefusesMultipliersAndDilationAndIsPreferredOnSmallPlanes()
    {
        if (!RunsHere()) return;
        static Conv2dGeometry Depthwise(int side, int stride = 1, int multiplier = 1, int dilation = 1) =>
            new(4, 32, side, side, 32 * multiplier, 3, 3, stride, stride, dilation, dilation, dilation, dilation, Groups: 32);
        Assert.True(DepthwiseChannelsLastConv2d.Prefers(Depthwise(14)));
        Assert.True(DepthwiseChannelsLastConv2d.Prefers(Depthwise(7, stride: 2)));
        Assert.False(DepthwiseChannelsLastConv2d.Prefers(Depthwise(28)), "28x28 keeps the flat plane");
        Assert.False(DepthwiseChannelsLastConv2d.Handles(Depthwise(7, multiplier: 2)), "multiplier 2");
        Assert.False(DepthwiseChannelsLastConv2d.Handles(Depthwise(7, dilation: 2)), "dilation");
        bool before = DepthwiseChannelsLastConv2d.Enabled;
        try
        {
            DepthwiseChannelsLastConv2d.Enabled = false;
            Assert.False(DepthwiseChannelsLastConv2d.Prefers(Depthwise(7)));
        }
        finally
        {
            DepthwiseChannelsLastConv2d.Enabled = before;
        }
    }

    /// <summary>Whether this machine runs the kernel (AVX-512, or AVX2 with FMA); elsewhere every depthwise layer keeps the other layouts.</summary>
    private static bool RunsHere() => Avx512F.IsSupported && Vector512.IsHardwareAccelerated || Avx2.IsSupported && Fma.IsSupported;

}

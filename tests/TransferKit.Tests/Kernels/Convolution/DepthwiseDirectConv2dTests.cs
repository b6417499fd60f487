using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;

namespace TransferKit.Tests.Kernels.Convolution;

/// <summary>
/// The depthwise forward pass read straight from the input (<see cref="DepthwiseDirectConv2d"/>) against the naive twin,
/// and against the phase split bit for bit (both add the same taps in the same order), over row widths around the
/// 8- and 16-float vectors and the 32- and 64-output blocks, kernels 1x1 to 7x7 and non-square ones, strides 1 and 2, every padding below
/// the kernel, every activation and a residual; the geometries it refuses, and where it is preferred.
/// </summary>
public unsafe class DepthwiseDirectConv2dTests
{
    // (batch, channels, height, width, kernel height, kernel width, stride, pad height, pad width)
    public static TheoryData<int, int, int, int, int, int, int, int, int> Handled => new()
    {
        { 2, 3, 56, 56, 3, 3, 1, 1, 1 },
        { 1, 2, 112, 112, 3, 3, 2, 1, 1 },
        { 2, 3, 57, 57, 5, 5, 2, 2, 2 },
        { 1, 4, 28, 28, 3, 3, 2, 1, 1 },
        { 3, 2, 7, 7, 3, 3, 1, 1, 1 },
        { 1, 3, 14, 14, 5, 5, 1, 2, 2 },
        { 2, 2, 1, 1, 3, 3, 1, 1, 1 },
        { 1, 2, 5, 1, 3, 3, 2, 1, 1 },
        { 1, 3, 4, 16, 3, 3, 1, 1, 1 },
        { 1, 3, 3, 17, 3, 3, 1, 1, 1 },
        { 2, 2, 5, 31, 3, 3, 2, 1, 1 },
        { 1, 2, 3, 33, 5, 5, 2, 2, 2 },
        { 1, 2, 3, 63, 3, 3, 1, 1, 1 },
        { 1, 2, 4, 64, 3, 3, 1, 1, 1 },
        { 1, 2, 3, 65, 3, 3, 1, 1, 1 },
        { 1, 2, 6, 129, 3, 3, 2, 1, 1 },
        { 1, 2, 3, 130, 7, 7, 1, 3, 3 },
        { 2, 3, 9, 40, 1, 1, 1, 0, 0 },
        { 1, 2, 9, 40, 1, 1, 2, 0, 0 },
        { 2, 2, 8, 20, 3, 3, 1, 0, 0 },
        { 1, 3, 9, 21, 3, 3, 2, 0, 0 },
        { 1, 2, 10, 23, 5, 5, 1, 1, 3 },
        { 1, 2, 11, 37, 5, 3, 2, 4, 2 },
        { 1, 2, 17, 17, 1, 7, 1, 0, 3 },
        { 1, 2, 17, 19, 7, 1, 1, 3, 0 },
        { 2, 1, 12, 70, 3, 5, 2, 2, 1 },
        { 1, 3, 9, 8, 3, 3, 1, 1, 1 },
        { 1, 2, 10, 32, 3, 3, 2, 1, 1 },
        { 1, 2, 11, 24, 3, 3, 1, 1, 1 },
        { 2, 3, 30, 9, 5, 5, 2, 2, 2 },
        { 1, 2, 29, 28, 3, 3, 2, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Handled))]
    public void MatchesTheNaiveTwinAndThePhaseSplitsBits(int batch, int channels, int height, int width,
        int kernelHeight, int kernelWidth, int stride, int padHeight, int padWidth)
    {
        if (!RunsHere()) return;
        var g = new Conv2dGeometry(batch, channels, height, width, channels, kernelHeight, kernelWidth, stride, stride,
            padHeight, padWidth, Groups: channels);
        Assert.True(DepthwiseDirectConv2d.Handles(g), $"{g} should be handled");
        DepthwiseOracle.CheckThreeWays(g, height * 7 + width, DepthwiseDirectConv2d.Forward, "read directly");
    }

    [Fact]
    public void RefusesMultipliersDilationUnequalOrLargeStridesAndPaddingAsWideAsTheKernel()
    {
        if (!RunsHere()) return;
        Assert.True(DepthwiseDirectConv2d.Handles(new Conv2dGeometry(1, 4, 9, 9, 4, 3, 3, 2, 2, 2, 2, Groups: 4)));
        Assert.False(DepthwiseDirectConv2d.Handles(new Conv2dGeometry(1, 4, 9, 9, 8, 3, 3, 1, 1, 1, 1, Groups: 4)), "multiplier 2");
        Assert.False(DepthwiseDirectConv2d.Handles(new Conv2dGeometry(1, 4, 9, 9, 4, 3, 3, 1, 1, 2, 2, 2, 2, Groups: 4)), "dilation");
        Assert.False(DepthwiseDirectConv2d.Handles(new Conv2dGeometry(1, 4, 9, 9, 4, 3, 3, 2, 1, 1, 1, Groups: 4)), "unequal strides");
        Assert.False(DepthwiseDirectConv2d.Handles(new Conv2dGeometry(1, 4, 9, 9, 4, 3, 3, 3, 3, 1, 1, Groups: 4)), "stride 3");
        Assert.False(DepthwiseDirectConv2d.Handles(new Conv2dGeometry(1, 4, 9, 9, 4, 3, 3, 1, 1, 3, 1, Groups: 4)), "padding as tall as the kernel");
        Assert.False(DepthwiseDirectConv2d.Handles(new Conv2dGeometry(1, 4, 9, 9, 4, 3, 3, Groups: 2)), "grouped, not depthwise");
        bool before = DepthwiseDirectConv2d.Enabled;
        try
        {
            DepthwiseDirectConv2d.Enabled = false;
            Assert.False(DepthwiseDirectConv2d.Handles(new Conv2dGeometry(1, 4, 9, 9, 4, 3, 3, 1, 1, 1, 1, Groups: 4)));
        }
        finally
        {
            DepthwiseDirectConv2d.Enabled = before;
        }
    }

    [Fact]
    public void IsPreferredForStridedLayersOfAtMostNineTapsOnLargePlanes()
    {
        if (!RunsHere()) return;
        static Conv2dGeometry Depthwise(int side, int k, int stride) => new(16, 96, side, side, 96, k, k, stride, stride, k / 2, k / 2, Groups: 96);
        Assert.True(DepthwiseDirectConv2d.Prefers(Depthwise(112, 3, 2)));
        Assert.True(DepthwiseDirectConv2d.Prefers(Depthwise(56, 3, 2)));
        // AVX2 reads 28x28 planes directly too; AVX-512 keeps them on the phase split.
        Assert.Equal(!Vector512.IsHardwareAccelerated, DepthwiseDirectConv2d.Prefers(Depthwise(28, 3, 2)));
        Assert.False(DepthwiseDirectConv2d.Prefers(Depthwise(27, 3, 2)), "small planes");
        Assert.False(DepthwiseDirectConv2d.Prefers(Depthwise(56, 5, 2)), "25 taps");
        Assert.False(DepthwiseDirectConv2d.Prefers(Depthwise(112, 3, 1)), "stride 1 on 112x112");
        Assert.False(DepthwiseDirectConv2d.Prefers(Depthwise(28, 3, 1)), "stride 1 on 28x28");
        // AVX2 takes 3x3 stride 1 on 56x56; AVX-512 keeps it on the flat or phase layouts.
        Assert.Equal(!Vector512.IsHardwareAccelerated, DepthwiseDirectConv2d.Prefers(Depthwise(56, 3, 1)));
        Assert.False(DepthwiseDirectConv2d.Prefers(Depthwise(56, 5, 1)), "5x5 stride 1");
    }

    /// <summary>Whether this machine runs the kernel: AVX-512, or AVX2 with FMA.</summary>
    private static bool RunsHere() => Avx512F.IsSupported && Vector512.IsHardwareAccelerated || Avx2.IsSupported && Fma.IsSupported;

}

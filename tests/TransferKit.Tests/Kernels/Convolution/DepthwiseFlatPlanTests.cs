using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;

namespace TransferKit.Tests.Kernels.Convolution;

/// <summary>
/// The depthwise forward pass on flat small planes (<see cref="DepthwiseFlatPlan"/>) against the naive twin, and against
/// the phase split bit for bit (both add the same taps in the same order), over plane sizes around the 16-float vector
/// and the 64-output block, kernels 1x1 to 7x7, dilation, strides 2 and 3, channel multipliers, every activation and a
/// residual; and the geometries it refuses.
/// </summary>
public unsafe class DepthwiseFlatPlanTests
{
    private static readonly ActivationKind[] Kinds = Enum.GetValues<ActivationKind>();

    // (batch, channels, height, width, multiplier, kernel height, kernel width, stride, dilation)
    public static TheoryData<int, int, int, int, int, int, int, int, int> Handled => new()
    {
        { 2, 3, 7, 7, 1, 3, 3, 1, 1 },
        { 1, 5, 1, 1, 1, 1, 1, 1, 1 },
        { 3, 2, 2, 2, 1, 3, 3, 1, 1 },
        { 2, 4, 4, 4, 2, 3, 3, 1, 1 },
        { 1, 3, 8, 8, 1, 3, 3, 1, 1 },
        { 2, 2, 8, 9, 3, 5, 5, 1, 1 },
        { 1, 4, 14, 14, 1, 5, 5, 1, 1 },
        { 2, 3, 13, 11, 1, 3, 3, 1, 2 },
        { 1, 2, 28, 28, 1, 3, 3, 1, 1 },
        { 1, 3, 17, 5, 1, 7, 3, 1, 1 },
        { 1, 2, 9, 9, 1, 7, 7, 1, 1 },
        { 2, 3, 14, 14, 1, 3, 3, 2, 1 },
        { 1, 2, 14, 14, 2, 5, 5, 2, 1 },
        { 1, 3, 7, 7, 1, 3, 3, 2, 1 },
        { 1, 2, 13, 12, 1, 3, 3, 3, 1 },
        { 3, 2, 9, 10, 1, 5, 5, 2, 1 },
    };

    [Theory]
    [MemberData(nameof(Handled))]
    public void FlatPlanesMatchTheNaiveTwinAndThePhaseSplitsBits(int batch, int channels, int height, int width, int multiplier,
        int kernelHeight, int kernelWidth, int stride, int dilation)
    {
        if (!RunsHere()) return;
        var g = new Conv2dGeometry(batch, channels, height, width, channels * multiplier, kernelHeight, kernelWidth, stride, stride,
            dilation * (kernelHeight - 1) / 2, dilation * (kernelWidth - 1) / 2, dilation, dilation, Groups: channels);
        Assert.True(DepthwiseFlatPlan.Handles(g), $"{g} should take the flat layout");
        for (int run = 0; run < 3; run++)
        {
            var kind = Kinds[(height * 7 + width + run) % Kinds.Length];
            bool withResidual = run == 1, withBias = run != 2;
            Check(g, kind, withResidual, withBias);
        }
    }

    [Fact]
    public void OnlySamePaddedSmallPlanesWithEqualStridesTakeTheFlatLayout()
    {
        if (!RunsHere()) return;
        static Conv2dGeometry Depthwise(int h, int w, int k, int stride, int pad, int strideWidth = 0) =>
            new(1, 4, h, w, 4, k, k, stride, strideWidth == 0 ? stride : strideWidth, pad, pad, Groups: 4);

        Assert.True(DepthwiseFlatPlan.Handles(Depthwise(28, 28, 3, 1, 1)));
        Assert.True(DepthwiseFlatPlan.Handles(Depthwise(14, 14, 5, 2, 2)));
        Assert.False(DepthwiseFlatPlan.Handles(Depthwise(7, 7, 3, 1, 0)), "valid padding changes the plane's size");
        Assert.False(DepthwiseFlatPlan.Handles(Depthwise(56, 56, 3, 1, 1)), "large planes keep the phase split");
        Assert.False(DepthwiseFlatPlan.Handles(Depthwise(28, 28, 3, 2, 1)), "strided layers on 28x28 keep the phase split");
        Assert.False(DepthwiseFlatPlan.Handles(Depthwise(7, 1, 3, 1, 1)), "a column shift as wide as the row wraps past the zeroed columns");
        Assert.False(DepthwiseFlatPlan.Handles(Depthwise(14, 14, 3, 2, 1, strideWidth: 1)), "unequal strides");
        bool before = DepthwiseFlatPlan.Enabled;
        try
        {
            DepthwiseFlatPlan.Enabled = false;
            Assert.False(DepthwiseFlatPlan.Handles(Depthwise(7, 7, 3, 1, 1)));
        }
        finally
        {
            DepthwiseFlatPlan.Enabled = before;
        }
    }

    /// <summary>Whether this machine runs the layout; without AVX-512 every depthwise layer keeps the phase split.</summary>
    private static bool RunsHere() => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    private static void Check(Conv2dGeometry g, ActivationKind kind, bool withResidual, bool withBias) =>
        DepthwiseOracle.Check(g, kind, withResidual, withBias, DepthwiseConv2d.ForwardFlat, "on the flat plane");
}

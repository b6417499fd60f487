using TransferKit.Kernels;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;

namespace TransferKit.Tests.Kernels.Convolution;

/// <summary>
/// An inverted residual's expanding 1x1 convolution and depthwise convolution image by image
/// (<see cref="Conv2dKernel.ForwardPointwiseDepthwise"/>) against the two convolutions over the whole batch: the same
/// bits, at strides 1 and 2, kernels 3 and 5, with and without biases; and where it applies.
/// </summary>
public unsafe class PointwiseDepthwiseTests
{
    [Theory]
    [InlineData(2, 16, 96, 112, 3, 2)]
    [InlineData(4, 8, 96, 112, 5, 1)]
    [InlineData(2, 24, 80, 120, 3, 1)]
    public void GivesTheBitsOfTheTwoConvolutions(int batch, int cin, int hidden, int side, int kernel, int stride)
    {
        var pointwise = new Conv2dGeometry(batch, cin, side, side, hidden, 1, 1);
        var depthwise = new Conv2dGeometry(batch, hidden, side, side, hidden, kernel, kernel, stride, stride, kernel / 2, kernel / 2, Groups: hidden);
        if (!Parallelism.SharesOutWhole(batch)) return;
        Assert.True(Conv2dKernel.FusesPointwiseDepthwise(pointwise, depthwise), $"{pointwise} then {depthwise} should run image by image");
        var rng = new Random(side + cin);
        float[] input = Random(rng, pointwise.InputLength), w1 = Random(rng, pointwise.WeightLength), b1 = Random(rng, hidden);
        float[] w2 = Random(rng, depthwise.WeightLength), b2 = Random(rng, hidden);
        float[] expanded = new float[pointwise.OutputLength], expected = new float[depthwise.OutputLength], fused = new float[depthwise.OutputLength];
        fixed (float* x = input, pw = w1, pb = b1, dw = w2, db = b2, e = expanded, y = expected, f = fused)
        {
            foreach (bool withBias in new[] { true, false })
            {
                Conv2dKernel.ForwardFused(pointwise, x, pw, withBias ? pb : null, e, ActivationKind.ReLU6, null);
                Conv2dKernel.ForwardFused(depthwise, e, dw, withBias ? db : null, y, ActivationKind.SiLU, null);
                Conv2dKernel.ForwardPointwiseDepthwise(pointwise, depthwise, x, pw, withBias ? pb : null, ActivationKind.ReLU6, dw, withBias ? db : null,
                    ActivationKind.SiLU, f);
                int i;
                for (i = 0; i < expected.Length && BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(fused[i]); i++) { }
                Assert.True(i == expected.Length,
                    i == expected.Length ? "" : $"{depthwise}{(withBias ? "" : " no bias")}: output {i} is {fused[i]:R} image by image, {expected[i]:R} over the batch");
            }
        }
    }

    [Fact]
    public void AppliesToLargeExpandedImagesThatShareOutWhole()
    {
        static (Conv2dGeometry, Conv2dGeometry) Pair(int batch, int hidden, int side, int stride = 2) =>
            (new Conv2dGeometry(batch, 16, side, side, hidden, 1, 1),
             new Conv2dGeometry(batch, hidden, side, side, hidden, 3, 3, stride, stride, 1, 1, Groups: hidden));
        var (p, d) = Pair(16, 96, 112);
        Assert.Equal(Parallelism.SharesOutWhole(16), Conv2dKernel.FusesPointwiseDepthwise(p, d));
        (p, d) = Pair(16, 144, 56);
        Assert.False(Conv2dKernel.FusesPointwiseDepthwise(p, d), "56x56: 1.8 MB an image, no gain");
        (p, d) = Pair(1, 96, 112);
        Assert.False(Conv2dKernel.FusesPointwiseDepthwise(p, d), "one image keeps both threads on each convolution");
        (p, _) = Pair(16, 96, 112);
        var grouped = new Conv2dGeometry(16, 96, 112, 112, 96, 3, 3, 2, 2, 1, 1, Groups: 48);
        Assert.False(Conv2dKernel.FusesPointwiseDepthwise(p, grouped), "not depthwise");
    }

    private static float[] Random(Random rng, int length)
    {
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
        return a;
    }
}

using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;
using TransferKit.Kernels.Gemm;
using TransferKit.Kernels.Normalization;

namespace TransferKit.Tests.Kernels.Convolution;

/// <summary>
/// A 1x1 convolution whose GEMM applies an inference batch norm and ReLU to its input as it packs it
/// (<see cref="Conv2dKernel.ForwardPointwiseNormalized"/>) against the batch norm pass followed by the plain convolution:
/// the same bits, in float32 and in a bfloat16 scope, over planes run side by side and image by image, ragged slivers, two k blocks, a prefix of a wider
/// tensor's channels, with and without a bias; and where it does not apply (one-pixel planes, whose skinny products pack nothing).
/// </summary>
public unsafe class NormalizedPointwiseTests
{
    // (batch, channels read, channels of the whole tensor, side, output channels)
    public static TheoryData<int, int, int, int, int> Shapes => new()
    {
        { 3, 40, 40, 7, 24 },
        { 2, 37, 64, 14, 16 },
        { 1, 20, 33, 9, 40 },
        { 4, 64, 96, 28, 32 },
        { 2, 24, 24, 56, 16 },
        { 2, 600, 640, 7, 16 },
        { 1, 530, 530, 6, 72 },
        { 2, 48, 50, 3, 16 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GivesTheBitsOfTheBatchNormPassThenTheConvolution(int batch, int channels, int total, int side, int outChannels) =>
        Check(batch, channels, total, side, outChannels);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void InABFloat16ScopeGivesTheBitsOfTheBatchNormPassThenTheBFloat16Convolution(int batch, int channels, int total, int side, int outChannels)
    {
        if (!BFloat16Gemm.IsAvailable) return;
        using var scope = BFloat16Scope.Enter(true);
        Check(batch, channels, total, side, outChannels);
    }

    private static void Check(int batch, int channels, int total, int side, int outChannels)
    {
        var g = new Conv2dGeometry(batch, channels, side, side, outChannels, 1, 1);
        // Other providers run the batch norm pass first.
        if (GemmEngine.Provider is not ManagedGemm && !BFloat16Scope.IsActive) return;
        Assert.True(Conv2dKernel.AppliesNormalizedPointwise(g), $"{g} should normalise in the product");
        var rng = new Random(channels * 31 + side);
        int plane = side * side;
        float[] features = Random(rng, batch * total * plane, 2f), mean = Random(rng, channels, 0.5f), variance = Random(rng, channels, 1f);
        for (int c = 0; c < channels; c++) variance[c] = Math.Abs(variance[c]) + 0.3f;
        float[] gamma = Random(rng, channels, 1f), beta = Random(rng, channels, 0.5f), weight = Random(rng, outChannels * channels, 0.3f);
        float[] bias = Random(rng, outChannels, 0.5f);
        float[] scale = new float[channels], shift = new float[channels];
        float[] normalized = new float[batch * channels * plane], expected = new float[g.OutputLength];
        float[] fused = new float[g.OutputLength + 16];
        Array.Fill(fused, 12345f);
        fixed (float* x = features, m = mean, v = variance, ga = gamma, be = beta, w = weight, b = bias, sc = scale, sh = shift,
            nx = normalized, e = expected, f = fused)
        {
            for (int c = 0; c < channels; c++) (sc[c], sh[c]) = BatchNormKernel.InferenceScaleShift(c, ga, be, v, 1e-5f);
            BatchNormKernel.ForwardInferenceRelu(batch, channels, plane, x, (long)total * plane, ga, be, m, v, 1e-5f, nx);
            foreach (bool withBias in new[] { true, false })
            {
                var activation = withBias ? ActivationKind.ReLU : ActivationKind.Identity;
                Conv2dKernel.ForwardFused(g, nx, w, withBias ? b : null, e, activation, null);
                Conv2dKernel.ForwardPointwiseNormalized(g, x, (long)total * plane, m, sc, sh, w, withBias ? b : null, f, activation);
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(fused[i]),
                        $"{g}{(withBias ? "" : " no bias")}: output {i} is {fused[i]:R} normalised in the product, {expected[i]:R} after the pass");
                for (int i = expected.Length; i < fused.Length; i++) Assert.Equal(12345f, fused[i]);
            }
        }
    }

    [Fact]
    public void RefusesOtherConvolutions()
    {
        if (GemmEngine.Provider is ManagedGemm) Assert.True(Conv2dKernel.AppliesNormalizedPointwise(new Conv2dGeometry(2, 64, 14, 14, 32, 1, 1)));
        Assert.False(Conv2dKernel.AppliesNormalizedPointwise(new Conv2dGeometry(2, 64, 14, 14, 32, 3, 3, PadHeight: 1, PadWidth: 1)), "3x3");
        Assert.False(Conv2dKernel.AppliesNormalizedPointwise(new Conv2dGeometry(2, 64, 14, 14, 32, 1, 1, 2, 2)), "stride 2");
        Assert.False(Conv2dKernel.AppliesNormalizedPointwise(new Conv2dGeometry(2, 64, 14, 14, 32, 1, 1, Groups: 2)), "grouped");
        Assert.False(Conv2dKernel.AppliesNormalizedPointwise(new Conv2dGeometry(2, 64, 1, 1, 32, 1, 1)), "one pixel: a skinny product");
        var g = new Conv2dGeometry(2, 64, 14, 14, 32, 3, 3, PadHeight: 1, PadWidth: 1);
        var buffer = new float[g.InputLength + g.WeightLength + g.OutputLength];
        Assert.Throws<InvalidOperationException>(() =>
        {
            fixed (float* p = buffer)
                Conv2dKernel.ForwardPointwiseNormalized(g, p, 64 * 196, p, p, p, p, null, p, ActivationKind.ReLU);
        });
    }

    private static float[] Random(Random rng, int length, float scale)
    {
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return a;
    }
}

using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;
using TransferKit.Kernels.Elementwise;
using TransferKit.Kernels.Gemm;
using TransferKit.Kernels.Normalization;

namespace TransferKit.Tests.Kernels.Convolution;

/// <summary>
/// 1x1 convolutions whose GEMM transforms its input as it packs it (<see cref="GemmPrologue"/>) against the pass they
/// replace followed by the plain convolution: a channel scale per image with a residual
/// (<see cref="Conv2dKernel.ForwardPointwiseChannelScaled"/>), and an inference batch norm and ReLU
/// (<see cref="Conv2dKernel.ForwardPointwiseNormalized"/>):
/// the same bits, in float32 and in a bfloat16 scope, over planes run side by side and image by image, ragged slivers, two k blocks, a prefix of a wider
/// tensor's channels, with and without a bias; and where it does not apply (one-pixel planes, whose skinny products pack nothing).
/// </summary>
public unsafe class PointwisePrologueTests
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
        Assert.True(Conv2dKernel.AppliesPointwisePrologue(g), $"{g} should normalise in the product");
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

    // (batch, channels, side, output channels)
    public static TheoryData<int, int, int, int> ScaledShapes => new()
    {
        { 3, 40, 7, 24 },
        { 2, 37, 14, 16 },
        { 16, 96, 7, 24 },
        { 1, 20, 9, 40 },
        { 4, 64, 28, 32 },
        { 2, 24, 56, 16 },
        { 2, 600, 7, 16 },
        { 5, 48, 3, 16 },
    };

    [Theory]
    [MemberData(nameof(ScaledShapes))]
    public void ChannelScaledGivesTheBitsOfTheScalePassThenTheConvolution(int batch, int channels, int side, int outChannels)
    {
        CheckScaled(batch, channels, side, outChannels);
        if (!BFloat16Gemm.IsAvailable) return;
        using var scope = BFloat16Scope.Enter(true);
        CheckScaled(batch, channels, side, outChannels);
    }

    private static void CheckScaled(int batch, int channels, int side, int outChannels)
    {
        var g = new Conv2dGeometry(batch, channels, side, side, outChannels, 1, 1);
        if (GemmEngine.Provider is not ManagedGemm && !BFloat16Scope.IsActive) return;
        Assert.True(Conv2dKernel.AppliesPointwisePrologue(g), $"{g} should scale in the product");
        var rng = new Random(channels * 17 + side);
        float[] input = Random(rng, g.InputLength, 2f), scales = Random(rng, batch * channels, 1f), weight = Random(rng, g.WeightLength, 0.3f);
        float[] bias = Random(rng, outChannels, 0.5f), residual = Random(rng, g.OutputLength, 1f);
        float[] scaled = new float[g.InputLength], expected = new float[g.OutputLength], fused = new float[g.OutputLength + 16];
        Array.Fill(fused, 12345f);
        fixed (float* x = input, s = scales, w = weight, b = bias, r = residual, sx = scaled, e = expected, f = fused)
        {
            ChannelScaleKernel.Forward(batch, channels, side * side, x, s, sx);
            foreach (bool withResidual in new[] { true, false })
            {
                Conv2dKernel.ForwardFused(g, sx, w, b, e, ActivationKind.Identity, withResidual ? r : null);
                Conv2dKernel.ForwardPointwiseChannelScaled(g, x, s, w, b, f, ActivationKind.Identity, withResidual ? r : null);
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(fused[i]),
                        $"{g}{(withResidual ? " + residual" : "")}{(BFloat16Scope.IsActive ? " bf16" : "")}: output {i} is {fused[i]:R} scaled in the product, {expected[i]:R} after the pass");
                for (int i = expected.Length; i < fused.Length; i++) Assert.Equal(12345f, fused[i]);
            }
        }
    }

    [Fact]
    public void RefusesOtherConvolutions()
    {
        if (GemmEngine.Provider is ManagedGemm) Assert.True(Conv2dKernel.AppliesPointwisePrologue(new Conv2dGeometry(2, 64, 14, 14, 32, 1, 1)));
        Assert.False(Conv2dKernel.AppliesPointwisePrologue(new Conv2dGeometry(2, 64, 14, 14, 32, 3, 3, PadHeight: 1, PadWidth: 1)), "3x3");
        Assert.False(Conv2dKernel.AppliesPointwisePrologue(new Conv2dGeometry(2, 64, 14, 14, 32, 1, 1, 2, 2)), "stride 2");
        Assert.False(Conv2dKernel.AppliesPointwisePrologue(new Conv2dGeometry(2, 64, 14, 14, 32, 1, 1, Groups: 2)), "grouped");
        Assert.False(Conv2dKernel.AppliesPointwisePrologue(new Conv2dGeometry(2, 64, 1, 1, 32, 1, 1)), "one pixel: a skinny product");
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

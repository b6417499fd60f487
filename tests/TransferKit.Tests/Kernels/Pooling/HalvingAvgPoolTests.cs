using TransferKit.Kernels.Normalization;
using TransferKit.Kernels.Pooling;

namespace TransferKit.Tests.Kernels.Pooling;

/// <summary>
/// The 2x2, stride-2 average pool's vector path against the general plane loop, and with an inference batch norm and
/// ReLU applied as it reads (<see cref="AvgPool2dKernel.ForwardOfBatchNormRelu"/>) against the batch norm pass then the
/// pool: the same bits, on widths below, at and past the 32-cell step, odd sides (floor) and ceil mode on even sides.
/// </summary>
public unsafe class HalvingAvgPoolTests
{
    [Theory]
    [InlineData(2, 3, 56, 56, false)]
    [InlineData(1, 4, 28, 28, false)]
    [InlineData(2, 5, 14, 14, false)]
    [InlineData(1, 2, 7, 7, false)]
    [InlineData(1, 3, 9, 33, false)]
    [InlineData(2, 2, 6, 64, true)]
    [InlineData(1, 3, 11, 70, false)]
    [InlineData(1, 1, 2, 2, false)]
    public void GivesTheBitsOfTheGeneralLoopAndOfTheBatchNormPassThenThePool(int batch, int channels, int height, int width, bool ceil)
    {
        var g = new Pool2dGeometry(batch, channels, height, width, 2, 2, 2, 2, CeilMode: ceil);
        Assert.True(AvgPool2dKernel.IsHalving(g));
        var rng = new Random(height * 13 + width);
        float[] x = Random(rng, batch * channels * height * width, 3f), mean = Random(rng, channels, 0.5f), variance = Random(rng, channels, 1f);
        for (int c = 0; c < channels; c++) variance[c] = Math.Abs(variance[c]) + 0.2f;
        float[] gamma = Random(rng, channels, 1f), beta = Random(rng, channels, 0.5f), scale = new float[channels], shift = new float[channels];
        int outLength = batch * channels * g.OutHeight * g.OutWidth;
        float[] normalized = new float[x.Length], expected = new float[outLength], actual = new float[outLength + 8];
        Array.Fill(actual, 12345f);
        fixed (float* px = x, m = mean, v = variance, ga = gamma, be = beta, s = scale, t = shift, n = normalized, e = expected, a = actual)
        {
            // The general loop, reached through a geometry the vector path does not take: the same windows padded by nothing.
            Reference(g, px, e);
            AvgPool2dKernel.Forward(g, px, a);
            AssertSameBits(expected, actual, $"{g} plain");
            for (int c = 0; c < channels; c++) (s[c], t[c]) = BatchNormKernel.InferenceScaleShift(c, ga, be, v, 1e-5f);
            BatchNormKernel.ForwardInferenceRelu(batch, channels, height * width, px, (long)channels * height * width, ga, be, m, v, 1e-5f, n);
            Reference(g, n, e);
            AvgPool2dKernel.ForwardOfBatchNormRelu(g, px, m, s, t, a);
            AssertSameBits(expected, actual, $"{g} normalised");
        }
        for (int i = outLength; i < actual.Length; i++) Assert.Equal(12345f, actual[i]);
    }

    [Fact]
    public void OnlyWholeTwoByTwoWindowsAtStrideTwoAreHalving()
    {
        Assert.False(AvgPool2dKernel.IsHalving(new Pool2dGeometry(1, 1, 8, 8, 3, 3, 2, 2)), "3x3");
        Assert.False(AvgPool2dKernel.IsHalving(new Pool2dGeometry(1, 1, 8, 8, 2, 2, 2, 2, 1, 1)), "padded");
        Assert.False(AvgPool2dKernel.IsHalving(new Pool2dGeometry(1, 1, 7, 7, 2, 2, 2, 2, CeilMode: true)), "ceil mode on an odd side clips a window");
        Assert.Throws<ArgumentException>(() =>
        {
            var g = new Pool2dGeometry(1, 1, 8, 8, 3, 3, 2, 2);
            var buffer = new float[64];
            fixed (float* p = buffer) AvgPool2dKernel.ForwardOfBatchNormRelu(g, p, p, p, p, p);
        });
    }

    /// <summary>Every window summed in row order and divided by 4, as the general plane loop does.</summary>
    private static void Reference(in Pool2dGeometry g, float* x, float* y)
    {
        for (int plane = 0; plane < g.Batch * g.Channels; plane++)
        {
            float* src = x + (long)plane * g.InHeight * g.InWidth, dst = y + (long)plane * g.OutHeight * g.OutWidth;
            for (int oh = 0; oh < g.OutHeight; oh++)
                for (int ow = 0; ow < g.OutWidth; ow++)
                {
                    float sum = 0;
                    for (int h = 2 * oh; h < 2 * oh + 2; h++)
                        for (int w = 2 * ow; w < 2 * ow + 2; w++) sum += src[h * g.InWidth + w];
                    dst[oh * g.OutWidth + ow] = sum / 4;
                }
        }
    }

    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        int i = 0;
        while (i < expected.Length && BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i])) i++;
        Assert.True(i == expected.Length, i == expected.Length ? "" : $"{what}: output {i} is {actual[i]:R}, expected {expected[i]:R}");
    }

    private static float[] Random(Random rng, int length, float scale)
    {
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return a;
    }
}

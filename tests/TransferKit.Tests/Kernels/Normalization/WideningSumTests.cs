using TransferKit.Kernels.Normalization;

namespace TransferKit.Tests.Kernels.Normalization;

public unsafe class WideningSumTests
{
    /// <summary>Lengths through the 512-bit, 256-bit and scalar parts of the loop, and batches with strided slices.</summary>
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 3, 7)]
    [InlineData(3, 2, 16)]
    [InlineData(2, 4, 25)]
    [InlineData(4, 3, 1031)]
    public void SumAndDotIsBitForBitTheTwoSumsItReplaces(int batch, int channels, int spatial)
    {
        var random = new Random(batch * 100 + spatial);
        float[] x = new float[batch * channels * spatial], g = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(random.NextDouble() * 10 - 3);
            g[i] = (float)(random.NextDouble() * 2 - 1);
        }
        fixed (float* px = x, pg = g)
        {
            for (int c = 0; c < channels; c++)
            {
                double centre = 0.37 * c;
                var (sum, dot) = WideningSum.SumAndDotOverBatch(batch, channels, spatial, c, px, pg, centre, default(PassAll));
                Assert.Equal(WideningSum.SumOverBatch<PlainTerm>(batch, channels, spatial, c, pg, pg, 0, 0), sum);
                Assert.Equal(WideningSum.SumOverBatch<ProductTerm>(batch, channels, spatial, c, px, pg, centre, 0), dot);
            }
        }
    }
}

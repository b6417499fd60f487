using TransferKit.Kernels.Elementwise;

namespace TransferKit.Tests.Kernels.Elementwise;

public unsafe class DropoutKernelTests
{
    private static (float[] Y, float[] Mask) Run(float[] x, float p, ulong seed)
    {
        var y = new float[x.Length];
        var mask = new float[x.Length];
        fixed (float* px = x, py = y, pm = mask) DropoutKernel.Forward(x.Length, p, seed, px, py, pm);
        return (y, mask);
    }

    [Fact]
    public void SameSeedGivesSameMaskWhateverTheThreadCountAndDifferentSeedsDiffer()
    {
        var x = PointwiseTestData.Uniform(new Random(3), 200_001, -1f, 1f);
        var one = ElementwiseKernelTests.WithThreads(1, () => Run(x, 0.5f, 42));
        var two = ElementwiseKernelTests.WithThreads(2, () => Run(x, 0.5f, 42));
        var three = ElementwiseKernelTests.WithThreads(3, () => Run(x, 0.5f, 42));
        Assert.Equal(one.Mask, two.Mask);
        Assert.Equal(one.Mask, three.Mask);
        Assert.Equal(one.Y, three.Y);
        var other = Run(x, 0.5f, 43);
        int differ = one.Mask.Zip(other.Mask).Count(t => t.First != t.Second);
        Assert.InRange(differ, x.Length / 3, 2 * x.Length / 3);
    }

    [Fact]
    public void EveryVectorWidthDrawsTheSameMaskAsTheScalarHash()
    {
        var rng = new Random(12);
        foreach (int n in PointwiseTestData.SmallLengths.Append(PointwiseTestData.LargeLength))
        {
            var x = PointwiseTestData.Uniform(rng, n, -1f, 1f);
            var expected = new float[n];
            for (int i = 0; i < n; i++) expected[i] = DropoutKernel.Uniform(99, (ulong)i) < 0.4f ? 0f : 1f / 0.6f;
            foreach (int bits in PointwiseTestData.VectorWidths)
            {
                float[] mask = [];
                PointwiseTestData.WithVectorWidth(bits, () => mask = Run(x, 0.4f, 99).Mask);
                Assert.Equal(expected, mask);
            }
        }
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.3f)]
    [InlineData(0.5f)]
    public void MaskIsZeroOrInverseKeepAndAveragesOne(float p)
    {
        var x = Enumerable.Repeat(1f, 1_000_000).ToArray();
        var (y, mask) = Run(x, p, 7);
        float keep = 1f / (1f - p);
        Assert.All(mask, m => Assert.True(m == 0f || m == keep));
        Assert.Equal(mask, y);
        double mean = mask.Average(m => (double)m);
        Assert.InRange(mean, 1 - Tolerances.DropoutMaskMean, 1 + Tolerances.DropoutMaskMean);
        double dropped = mask.Count(m => m == 0f) / (double)mask.Length;
        Assert.InRange(dropped, p - Tolerances.DropoutMaskMean, p + Tolerances.DropoutMaskMean);
    }

    [Fact]
    public void ZeroProbabilityCopiesAndMasksWithOnes()
    {
        var x = PointwiseTestData.Uniform(new Random(4), 1000, -1f, 1f);
        var (y, mask) = Run(x, 0f, 9);
        Assert.Equal(x, y);
        Assert.All(mask, m => Assert.Equal(1f, m));
    }

    [Fact]
    public void WorksInPlaceAndBackwardAddsGradYTimesMask()
    {
        var rng = new Random(5);
        foreach (int n in PointwiseTestData.SmallLengths.Append(PointwiseTestData.LargeLength))
        {
            var x = PointwiseTestData.Uniform(rng, n, -1f, 1f);
            var (y, mask) = Run(x, 0.25f, 11);
            var inPlace = (float[])x.Clone();
            var mask2 = new float[n];
            var gradY = PointwiseTestData.Uniform(rng, n, -1f, 1f);
            var gradX = PointwiseTestData.Uniform(rng, n, -1f, 1f);
            var expected = gradX.Select((g, i) => g + gradY[i] * mask[i]).ToArray();
            fixed (float* pi = inPlace, pm = mask2, pgy = gradY, pgx = gradX, pmask = mask)
            {
                DropoutKernel.Forward(n, 0.25f, 11, pi, pi, pm);
                DropoutKernel.Backward(n, pmask, pgy, pgx);
            }
            Assert.Equal(y, inPlace);
            Assert.Equal(mask, mask2);
            NumericAssert.KernelClose(expected, gradX, $"dropout backward n={n}");
        }
    }

    [Theory]
    [InlineData(-0.01f)]
    [InlineData(1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void ProbabilityOutsideZeroToOneThrows(float p)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => DropoutKernel.Forward(0, p, 1, null, null, null));
        Assert.Equal("p", ex.ParamName);
    }
}

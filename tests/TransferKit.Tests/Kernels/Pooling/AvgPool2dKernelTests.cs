using TransferKit.Kernels.Pooling;

namespace TransferKit.Tests.Kernels.Pooling;

public unsafe class AvgPool2dKernelTests
{
    [Fact]
    public void ForwardAndBackwardMatchNaiveOverSmallGeometries()
    {
        var rng = new Random(1);
        int cases = 0;
        foreach (Pool2dGeometry g0 in PoolingTestData.SmallGeometries().Concat(PoolingTestData.NetworkGeometries()))
        {
            // Both divisor rules for every geometry.
            foreach (bool include in new[] { true, false })
            {
                Pool2dGeometry g = g0 with { CountIncludePad = include };
                float[] x = PoolingTestData.Uniform(rng, PoolingTestData.InLength(g));
                float[] yFast = Forward(g, x, fastKernel: true), yNaive = Forward(g, x, fastKernel: false);
                NumericAssert.KernelClose(yNaive, yFast, g + " y");

                // The naive backward gathers over every output per input cell (quadratic in the plane size):
                // large planes get the adjoint check instead.
                if (g.InHeight * g.InWidth > 1600) AssertAdjoint(g, x, rng);
                else AssertBackwardMatchesNaive(g, rng);
                cases++;
            }
        }
        Assert.True(cases > 2000, $"only {cases} geometries");
    }

    [Theory]
    // PyTorch: AvgPool2d((1, 3), (1, 2), (0, 1), ceil_mode=True) on 1..6. The last window starts at 5 and is
    // clipped at the padded border 7, so it covers one real cell and one padding cell.
    [InlineData(true, new float[] { 1, 3, 5, 3 })]
    [InlineData(false, new float[] { 1.5f, 3, 5, 6 })]
    public void CeilModeWindowIsClippedAtThePaddedBorder(bool countIncludePad, float[] expected)
    {
        var g = new Pool2dGeometry(1, 1, 1, 6, 1, 3, 1, 2, 0, 1, CeilMode: true, CountIncludePad: countIncludePad);
        Assert.Equal(4, g.OutWidth);
        Assert.Equal(expected, Forward(g, [1, 2, 3, 4, 5, 6], fastKernel: true));
        Assert.Equal(expected, Forward(g, [1, 2, 3, 4, 5, 6], fastKernel: false));
    }

    [Fact]
    public void CeilModeWithoutPaddingDividesTheLastWindowByItsRealCells()
    {
        var g = new Pool2dGeometry(1, 1, 1, 5, 1, 2, 1, 2, CeilMode: true);
        Assert.Equal([1.5f, 3.5f, 5f], Forward(g, [1, 2, 3, 4, 5], fastKernel: true));
    }

    [Fact]
    public void BackwardIsTheAdjointOfForward()
    {
        var rng = new Random(2);
        foreach (bool include in new[] { true, false })
        {
            var g = new Pool2dGeometry(2, 3, 9, 8, 3, 3, 2, 3, 1, 1, CeilMode: true, CountIncludePad: include);
            AssertAdjoint(g, PoolingTestData.Uniform(rng, PoolingTestData.InLength(g)), rng);
        }
    }

    private static void AssertBackwardMatchesNaive(in Pool2dGeometry g, Random rng)
    {
        float[] gradY = PoolingTestData.Uniform(rng, PoolingTestData.OutLength(g));
        float[] gradFast = PoolingTestData.Uniform(rng, PoolingTestData.InLength(g)), gradNaive = (float[])gradFast.Clone();
        fixed (float* pgy = gradY, pgf = gradFast, pgn = gradNaive)
        {
            AvgPool2dKernel.Backward(g, pgy, pgf);
            NaivePooling.AvgPool2dBackward(g, pgy, pgn);
        }
        NumericAssert.KernelClose(gradNaive, gradFast, g + " gradX");
    }

    /// <summary>sum(Forward(x) * r) == sum(x * Backward(r)): pooling is linear, so backward must be its transpose.</summary>
    private static void AssertAdjoint(in Pool2dGeometry g, float[] x, Random rng)
    {
        float[] r = PoolingTestData.Uniform(rng, PoolingTestData.OutLength(g));
        float[] gradX = new float[x.Length];
        fixed (float* pr = r, pgx = gradX)
            AvgPool2dKernel.Backward(g, pr, pgx);
        double expected = PoolingTestData.Dot(Forward(g, x, fastKernel: true), r);
        Assert.Equal(expected, PoolingTestData.Dot(x, gradX), 4);
    }

    private static float[] Forward(in Pool2dGeometry g, float[] x, bool fastKernel)
    {
        float[] y = new float[PoolingTestData.OutLength(g)];
        fixed (float* px = x, py = y)
        {
            if (fastKernel) AvgPool2dKernel.Forward(g, px, py);
            else NaivePooling.AvgPool2dForward(g, px, py);
        }
        return y;
    }
}

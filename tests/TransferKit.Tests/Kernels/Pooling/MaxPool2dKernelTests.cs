using TransferKit.Kernels.Pooling;

namespace TransferKit.Tests.Kernels.Pooling;

public unsafe class MaxPool2dKernelTests
{
    [Fact]
    public void ForwardAndBackwardMatchNaiveOverSmallGeometries()
    {
        var rng = new Random(1);
        int cases = 0;
        foreach (Pool2dGeometry g in PoolingTestData.SmallGeometries().Concat(PoolingTestData.NetworkGeometries()))
        {
            CheckAgainstNaive(g, PoolingTestData.Uniform(rng, PoolingTestData.InLength(g)), rng);
            cases++;
        }
        Assert.True(cases > 1000, $"only {cases} geometries");
    }

    [Fact]
    public void TiesPickTheFirstMaximumInRowMajorWindowOrder()
    {
        var g = new Pool2dGeometry(1, 1, 5, 5, 3, 3, 2, 2, 1, 1);
        float[] x = new float[25];
        Array.Fill(x, 4f);
        (float[] y, int[] argmax) = Forward(g, x);
        Assert.All(y, v => Assert.Equal(4f, v));
        // Each window's first real cell: rows and columns max(0, 2o - 1).
        Assert.Equal([0, 1, 3, 5, 6, 8, 15, 16, 18], argmax);
        CheckAgainstNaive(g, x, new Random(2));
    }

    [Fact]
    public void VectorPathKeepsTheTieAndNaNRules()
    {
        // Few distinct values (many ties) and some NaNs, on rows wide enough for the eight-wide path (12), for the
        // sixteen-wide one with a shifted last group (41 at stride 2) and for several groups (70).
        var rng = new Random(4);
        float[] palette = [-1f, 0f, -0f, 1f, float.NaN, float.NegativeInfinity];
        foreach (int width in new[] { 12, 41, 70 })
        for (int k = 1; k <= 3; k++)
            for (int stride = 1; stride <= 2; stride++)
                for (int pad = 0; pad <= k / 2; pad++)
                {
                    var g = new Pool2dGeometry(1, 2, 4, width, k, k, stride, stride, pad, pad);
                    float[] x = new float[PoolingTestData.InLength(g)];
                    for (int i = 0; i < x.Length; i++) x[i] = palette[rng.Next(rng.Next(8) == 0 ? palette.Length : 4)];
                    CheckAgainstNaive(g, x, rng);
                }
    }

    [Fact]
    public void PaddingIsNeverSelectedEvenWhenAllInputsAreNegative()
    {
        var g = new Pool2dGeometry(1, 2, 4, 4, 3, 3, 1, 1, 1, 1, CeilMode: true);
        float[] x = new float[32];
        for (int i = 0; i < x.Length; i++) x[i] = -100f - i;
        (float[] y, int[] argmax) = Forward(g, x);
        for (int o = 0; o < y.Length; o++)
        {
            int plane = o / 16;
            Assert.Equal(x[plane * 16 + argmax[o]], y[o]);
            Assert.True(y[o] <= -100f);
        }
    }

    [Fact]
    public void NaNInAWindowPropagatesAndIsSelected()
    {
        var g = new Pool2dGeometry(1, 1, 2, 4, 2, 2, 2, 2);
        float[] x = [1, 2, 3, 4, 5, float.NaN, 7, 8];
        (float[] y, int[] argmax) = Forward(g, x);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal(5, argmax[0]);
        Assert.Equal(8f, y[1]);
        Assert.Equal(7, argmax[1]);
    }

    [Fact]
    public void BackwardIsTheAdjointOfForwardWithFixedIndices()
    {
        var rng = new Random(3);
        var g = new Pool2dGeometry(2, 3, 9, 7, 3, 2, 2, 1, 1, 1, CeilMode: true);
        float[] x = PoolingTestData.Uniform(rng, PoolingTestData.InLength(g));
        float[] r = PoolingTestData.Uniform(rng, PoolingTestData.OutLength(g));
        (float[] y, int[] argmax) = Forward(g, x);
        float[] gradX = new float[x.Length];
        fixed (float* pr = r, pgx = gradX)
        fixed (int* pa = argmax)
            MaxPool2dKernel.Backward(g, pr, pa, pgx);
        Assert.Equal(PoolingTestData.Dot(y, r), PoolingTestData.Dot(x, gradX), 5);
    }

    private static (float[] Y, int[] Argmax) Forward(in Pool2dGeometry g, float[] x)
    {
        float[] y = new float[PoolingTestData.OutLength(g)];
        int[] argmax = new int[y.Length];
        fixed (float* px = x, py = y)
        fixed (int* pa = argmax)
            MaxPool2dKernel.Forward(g, px, py, pa);
        return (y, argmax);
    }

    private static void CheckAgainstNaive(in Pool2dGeometry g, float[] x, Random rng)
    {
        string what = g.ToString();
        int outLength = PoolingTestData.OutLength(g);
        float[] yFast = new float[outLength], yNaive = new float[outLength];
        int[] aFast = new int[outLength], aNaive = new int[outLength];
        fixed (float* px = x, pyf = yFast, pyn = yNaive)
        fixed (int* paf = aFast, pan = aNaive)
        {
            MaxPool2dKernel.Forward(g, px, pyf, paf);
            NaivePooling.MaxPool2dForward(g, px, pyn, pan);
        }
        Assert.True(yNaive.AsSpan().SequenceEqual(yFast), what + " y");
        Assert.True(aNaive.AsSpan().SequenceEqual(aFast), what + " argmax");
        float[] yValues = new float[outLength];
        fixed (float* px = x, pyv = yValues)
            MaxPool2dKernel.ForwardValues(g, px, pyv);
        Assert.True(BitEqual(yNaive, yValues), what + " values-only y");

        float[] gradY = PoolingTestData.Uniform(rng, outLength);
        float[] gradFast = PoolingTestData.Uniform(rng, x.Length), gradNaive = (float[])gradFast.Clone();
        fixed (float* pgy = gradY, pgf = gradFast, pgn = gradNaive)
        fixed (int* pa = aFast)
        {
            MaxPool2dKernel.Backward(g, pgy, pa, pgf);
            NaivePooling.MaxPool2dBackward(g, pgy, pa, pgn);
        }
        NumericAssert.KernelClose(gradNaive, gradFast, what + " gradX");
    }

    /// <summary>Bit for bit, so that -0 and 0, or two NaNs, must come out the same way.</summary>
    private static bool BitEqual(float[] expected, float[] actual) =>
        expected.Select(BitConverter.SingleToInt32Bits).SequenceEqual(actual.Select(BitConverter.SingleToInt32Bits));
}

using TransferKit.Kernels.Losses;
using TransferKit.Tests.Kernels.Elementwise;

namespace TransferKit.Tests.Kernels.Losses;

public unsafe class SoftmaxKernelTests
{
    public static TheoryData<int, int> Shapes()
    {
        var data = new TheoryData<int, int>();
        foreach (int rows in new[] { 0, 1, 2, 3, 5, 9 })
            foreach (int cols in new[] { 0, 1, 2, 7, 12, 17, 33, 100 }) data.Add(rows, cols);
        data.Add(70, 1000); // above the parallel threshold
        data.Add(3, 100_003);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SoftmaxLogSoftmaxAndBackwardMatchNaive(int rows, int cols)
    {
        var rng = new Random(rows * 1000 + cols);
        int n = rows * cols;
        var x = PointwiseTestData.Uniform(rng, n, -20f, 20f);
        var gradY = PointwiseTestData.Uniform(rng, n, -1f, 1f);
        var gradX = PointwiseTestData.Uniform(rng, n, -1f, 1f);
        var gradXNaive = (float[])gradX.Clone();
        float[] p = new float[n], pNaive = new float[n], lp = new float[n], lpNaive = new float[n];
        var inPlace = (float[])x.Clone();
        fixed (float* px = x, pp = p, ppn = pNaive, plp = lp, plpn = lpNaive, pg = gradY, pgx = gradX, pgxn = gradXNaive, pip = inPlace)
        {
            SoftmaxKernel.Forward(rows, cols, px, pp);
            NaiveLosses.Softmax(rows, cols, px, ppn);
            SoftmaxKernel.LogForward(rows, cols, px, plp);
            NaiveLosses.LogSoftmax(rows, cols, px, plpn);
            SoftmaxKernel.LogForward(rows, cols, pip, pip);
            SoftmaxKernel.LogBackward(rows, cols, plp, pg, pgx);
            NaiveLosses.LogSoftmaxBackward(rows, cols, plp, pg, pgxn);
        }
        NumericAssert.KernelClose(pNaive, p, "softmax");
        NumericAssert.KernelClose(lpNaive, lp, "log-softmax");
        Assert.Equal(lp, inPlace);
        NumericAssert.KernelClose(gradXNaive, gradX, "log-softmax backward");
    }

    [Fact]
    public void HugeLogitsDoNotOverflow()
    {
        float[] x = [1000f, -1000f, 999f, 3e38f, -3e38f, 0f];
        var p = new float[6];
        var lp = new float[6];
        fixed (float* px = x, pp = p, plp = lp)
        {
            SoftmaxKernel.Forward(2, 3, px, pp);
            SoftmaxKernel.LogForward(2, 3, px, plp);
        }
        Assert.All(p, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1f, p[0] + p[1] + p[2], 1e-6f);
        Assert.Equal(-MathF.Log(1 + MathF.Exp(-1)), lp[0], 1e-6f);
        Assert.Equal(1f, p[3]);
        Assert.Equal(0f, lp[3]);
    }

    [Fact]
    public void LogBackwardMatchesCentralDifferences()
    {
        const int rows = 3, cols = 6;
        var rng = new Random(3);
        var x = FiniteDifference.ToDouble(PointwiseTestData.Uniform(rng, rows * cols, -3f, 3f));
        var gradY = FiniteDifference.ToDouble(PointwiseTestData.Uniform(rng, rows * cols, -1f, 1f));
        // L = sum gradY * logsoftmax(x), so dL/dx is exactly what LogBackward adds.
        double Loss(double[] v)
        {
            var y = new double[v.Length];
            for (int r = 0; r < rows; r++) NaiveLosses.LogSoftmax(v.AsSpan(r * cols, cols), y.AsSpan(r * cols, cols));
            return y.Select((t, i) => t * gradY[i]).Sum();
        }
        var numeric = FiniteDifference.Gradient(x, Loss);

        var y = new double[x.Length];
        for (int r = 0; r < rows; r++) NaiveLosses.LogSoftmax(x.AsSpan(r * cols, cols), y.AsSpan(r * cols, cols));
        var analytic = new double[x.Length];
        NaiveLosses.LogSoftmaxGradient(rows, cols, y, gradY, analytic);
        NumericAssert.Close(numeric, FiniteDifference.ToFloat(analytic), (float)Tolerances.DoubleFiniteDifferenceRelative, 0f, "naive log-softmax gradient");

        var xf = FiniteDifference.ToFloat(x);
        var gf = FiniteDifference.ToFloat(gradY);
        var lp = new float[x.Length];
        var fast = new float[x.Length];
        fixed (float* px = xf, plp = lp, pg = gf, pf = fast)
        {
            SoftmaxKernel.LogForward(rows, cols, px, plp);
            SoftmaxKernel.LogBackward(rows, cols, plp, pg, pf);
        }
        NumericAssert.KernelClose(numeric, fast, "log-softmax kernel gradient");
    }
}

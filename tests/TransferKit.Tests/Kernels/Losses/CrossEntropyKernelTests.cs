using TransferKit.Kernels.Losses;
using TransferKit.Tests.Kernels.Elementwise;

namespace TransferKit.Tests.Kernels.Losses;

public unsafe class CrossEntropyKernelTests
{
    public static TheoryData<bool, float> WeightingAndSmoothing()
    {
        var data = new TheoryData<bool, float>();
        foreach (bool weighted in new[] { false, true })
            foreach (float ls in new[] { 0f, 0.1f, 0.3f }) data.Add(weighted, ls);
        return data;
    }

    [Theory]
    [MemberData(nameof(WeightingAndSmoothing))]
    public void ForwardAndBackwardMatchNaiveForBatch1To9AndClasses1To12(bool weighted, float labelSmoothing)
    {
        var rng = new Random(weighted ? 11 : 12);
        for (int batch = 1; batch <= 9; batch++)
            for (int classes = 1; classes <= 12; classes++)
                Compare(rng, batch, classes, weighted, labelSmoothing);
    }

    [Theory]
    [MemberData(nameof(WeightingAndSmoothing))]
    public void ForwardAndBackwardMatchNaiveOnLargeParallelBatch(bool weighted, float labelSmoothing) =>
        Compare(new Random(4), 700, 100, weighted, labelSmoothing);

    private static void Compare(Random rng, int batch, int classes, bool weighted, float labelSmoothing)
    {
        var logits = PointwiseTestData.Uniform(rng, batch * classes, -6f, 6f);
        var labels = Enumerable.Range(0, batch).Select(_ => rng.Next(classes)).ToArray();
        var weights = weighted ? PointwiseTestData.Uniform(rng, classes, 0.2f, 2f) : null;
        var p = new float[batch * classes];
        var pNaive = new float[batch * classes];
        var grad = PointwiseTestData.Uniform(rng, batch * classes, -1f, 1f);
        var gradNaive = (float[])grad.Clone();
        float loss, lossNaive;
        fixed (float* pl = logits, pw = weights, pp = p, ppn = pNaive, pg = grad, pgn = gradNaive)
        fixed (int* py = labels)
        {
            loss = CrossEntropyKernel.Forward(batch, classes, pl, py, pw, labelSmoothing, pp);
            lossNaive = NaiveLosses.CrossEntropyForward(batch, classes, pl, py, pw, labelSmoothing, ppn);
            CrossEntropyKernel.Backward(batch, classes, pp, py, pw, labelSmoothing, 0.7f, pg);
            NaiveLosses.CrossEntropyBackward(batch, classes, ppn, py, pw, labelSmoothing, 0.7f, pgn);
        }
        string what = $"batch {batch}, classes {classes}, weighted {weighted}, smoothing {labelSmoothing}";
        NumericAssert.KernelClose([lossNaive], [loss], "loss, " + what);
        NumericAssert.KernelClose(pNaive, p, "probabilities, " + what);
        NumericAssert.KernelClose(gradNaive, grad, "gradient, " + what);
    }

    [Fact]
    public void WeightedSmoothedLossFollowsPyTorchNormalisation()
    {
        // Two rows, three classes, zero logits so every -log p is log 3. PyTorch (1.13+):
        // (1 - ls) * sum_i w[y_i] log3 / W + ls / C * sum_i sum_c w[c] log3 / W, W = w[0] + w[2] = 4, sum_c w[c] = 6
        // = 0.7 * log3 + 0.1 * (2 * 6 * log3) / 4 = log3. With logits [1, 0, 0] in row 0 the terms separate:
        float[] logits = [1f, 0f, 0f, 0f, 0f, 0f];
        int[] labels = [0, 2];
        float[] weights = [1f, 2f, 3f];
        double z = Math.Log(Math.E + 2);
        double[] row0 = [z - 1, z, z];
        double log3 = Math.Log(3);
        double nll = (1 * row0[0] + 3 * log3) / 4;
        double smooth = (1 * row0[0] + 2 * row0[1] + 3 * row0[2] + 6 * log3) / 4;
        double expected = 0.7 * nll + 0.3 / 3 * smooth;
        var p = new float[6];
        float loss;
        fixed (float* pl = logits, pw = weights, pp = p)
        fixed (int* py = labels)
            loss = CrossEntropyKernel.Forward(2, 3, pl, py, pw, 0.3f, pp);
        Assert.Equal(expected, loss, 1e-6);
    }

    [Fact]
    public void OneClassIsLegalWithZeroLossAndGradient()
    {
        float[] logits = [3f, -2f];
        int[] labels = [0, 0];
        var p = new float[2];
        var g = new float[2];
        float loss;
        fixed (float* pl = logits, pp = p, pg = g)
        fixed (int* py = labels)
        {
            loss = CrossEntropyKernel.Forward(2, 1, pl, py, null, 0.1f, pp);
            CrossEntropyKernel.Backward(2, 1, pp, py, null, 0.1f, 1f, pg);
        }
        Assert.Equal(0f, loss);
        Assert.Equal([1f, 1f], p);
        Assert.Equal([0f, 0f], g);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public void LabelOutOfRangeNamesRowAndLabel(int bad)
    {
        var logits = new float[9];
        int[] labels = [0, 1, bad];
        var p = new float[9];
        fixed (float* pl = logits, pp = p)
        fixed (int* py = labels)
        {
            float* l = pl, q = pp;
            int* y = py;
            var forward = Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropyKernel.Forward(3, 3, l, y, null, 0f, q));
            Assert.Contains("row 2", forward.Message);
            Assert.Contains($"Label {bad}", forward.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropyKernel.Backward(3, 3, q, y, null, 0f, 1f, q));
            Assert.Throws<ArgumentOutOfRangeException>(() => NaiveLosses.CrossEntropyForward(3, 3, l, y, null, 0f, q));
        }
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(float.NaN)]
    public void SmoothingOutsideUnitIntervalThrows(float ls)
    {
        var logits = new float[2];
        int[] label = [0];
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            fixed (float* pl = logits)
            fixed (int* py = label)
                CrossEntropyKernel.Forward(1, 2, pl, py, null, ls, pl);
        });
    }

    [Theory]
    [InlineData(false, 0f)]
    [InlineData(true, 0f)]
    [InlineData(true, 0.1f)]
    [InlineData(true, 0.3f)]
    [InlineData(false, 0.3f)]
    public void GradientMatchesCentralDifferences(bool weighted, float labelSmoothing)
    {
        const int batch = 4, classes = 5;
        var rng = new Random(9);
        var logits = FiniteDifference.ToDouble(PointwiseTestData.Uniform(rng, batch * classes, -3f, 3f));
        int[] labels = [0, 4, 2, 2];
        double[]? weights = weighted ? FiniteDifference.ToDouble(PointwiseTestData.Uniform(rng, classes, 0.2f, 2f)) : null;
        var scratch = new double[batch * classes];
        const double gradLoss = 1.3;
        var numeric = FiniteDifference.Gradient(logits,
            v => gradLoss * NaiveLosses.CrossEntropy(batch, classes, v, labels, weights, labelSmoothing, scratch));

        var p = new double[batch * classes];
        NaiveLosses.CrossEntropy(batch, classes, logits, labels, weights, labelSmoothing, p);
        var analytic = new double[batch * classes];
        NaiveLosses.CrossEntropyGradient(batch, classes, p, labels, weights, labelSmoothing, gradLoss, analytic);
        NumericAssert.Close(numeric, FiniteDifference.ToFloat(analytic), (float)Tolerances.DoubleFiniteDifferenceRelative, 0f, "naive cross-entropy gradient");

        var lf = FiniteDifference.ToFloat(logits);
        var wf = weights is null ? null : FiniteDifference.ToFloat(weights);
        var pf = new float[batch * classes];
        var fast = new float[batch * classes];
        fixed (float* pl = lf, pw = wf, pp = pf, pg = fast)
        fixed (int* py = labels)
        {
            CrossEntropyKernel.Forward(batch, classes, pl, py, pw, labelSmoothing, pp);
            CrossEntropyKernel.Backward(batch, classes, pp, py, pw, labelSmoothing, (float)gradLoss, pg);
        }
        NumericAssert.KernelClose(numeric, fast, "cross-entropy kernel gradient");
    }

    [Fact]
    public void EmptyBatchGivesNaNAsPyTorchMeanDoes()
    {
        float loss = CrossEntropyKernel.Forward(0, 3, null, null, null, 0f, null);
        Assert.True(float.IsNaN(loss));
    }
}

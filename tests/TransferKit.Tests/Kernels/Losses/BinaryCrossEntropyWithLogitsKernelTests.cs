using TransferKit.Kernels.Losses;
using TransferKit.Tests.Kernels.Elementwise;

namespace TransferKit.Tests.Kernels.Losses;

public unsafe class BinaryCrossEntropyWithLogitsKernelTests
{
    public static TheoryData<int, bool> WidthsAndPosWeight()
    {
        var data = new TheoryData<int, bool>();
        foreach (int bits in PointwiseTestData.VectorWidths)
            foreach (bool pw in new[] { false, true }) data.Add(bits, pw);
        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndPosWeight))]
    public void ForwardAndBackwardMatchNaiveForLengths1To256(int bits, bool withPosWeight)
    {
        var rng = new Random(bits + (withPosWeight ? 1 : 0));
        PointwiseTestData.WithVectorWidth(bits, () =>
        {
            for (int n = 1; n <= 256; n++) Compare(rng, n, withPosWeight ? 2.5f : null, -8f, 8f);
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ForwardAndBackwardMatchNaiveOnLargeParallelLength(bool withPosWeight) =>
        Compare(new Random(8), PointwiseTestData.LargeLength, withPosWeight ? 0.4f : null, -8f, 8f);

    [Theory]
    [MemberData(nameof(PointwiseTestData.VectorWidths), MemberType = typeof(PointwiseTestData))]
    public void ExtremeLogitsStayFinite(int bits)
    {
        float[] logits = [100f, -100f, 100f, -100f, 100f, -100f, 88f, -88f, 50f, -50f, 0f, 1e6f, -1e6f, 100f, -100f, 30f, -30f];
        float[] targets = [0f, 1f, 1f, 0f, 0.5f, 0.5f, 0f, 1f, 0f, 1f, 1f, 0f, 1f, 1f, 0f, 0f, 1f];
        float[] posWeight = [3f];
        PointwiseTestData.WithVectorWidth(bits, () =>
        {
            var grad = new float[logits.Length];
            var gradNaive = new float[logits.Length];
            float loss, lossNaive;
            fixed (float* px = logits, pt = targets, pg = grad, pgn = gradNaive, pw = posWeight)
            {
                loss = BinaryCrossEntropyWithLogitsKernel.Forward(logits.Length, px, pt, pw);
                lossNaive = NaiveLosses.BinaryCrossEntropyWithLogitsForward(logits.Length, px, pt, pw);
                BinaryCrossEntropyWithLogitsKernel.Backward(logits.Length, px, pt, pw, 1f, pg);
                NaiveLosses.BinaryCrossEntropyWithLogitsBackward(logits.Length, px, pt, pw, 1f, pgn);
            }
            Assert.True(float.IsFinite(loss), $"loss {loss}");
            Assert.All(grad, g => Assert.True(float.IsFinite(g), $"gradient {g}"));
            NumericAssert.KernelClose([lossNaive], [loss], "extreme loss");
            NumericAssert.KernelClose(gradNaive, grad, "extreme gradient");
        });

        // One wrong-sided logit of 100 costs exactly 100 (times pos_weight for a positive).
        float x = 100f, t = 0f, xn = -100f, tp = 1f, three = 3f;
        Assert.Equal(100f, BinaryCrossEntropyWithLogitsKernel.Forward(1, &x, &t, null));
        Assert.Equal(300f, BinaryCrossEntropyWithLogitsKernel.Forward(1, &xn, &tp, &three));
    }

    [Fact]
    public void GradientWithPosWeightMatchesCentralDifferences()
    {
        const int n = 12;
        var rng = new Random(21);
        var logits = FiniteDifference.ToDouble(PointwiseTestData.Uniform(rng, n, -4f, 4f));
        var targets = FiniteDifference.ToDouble(PointwiseTestData.Uniform(rng, n, 0f, 1f));
        targets[0] = 0;
        targets[1] = 1;
        const double posWeight = 2.5, gradLoss = 0.8;
        var numeric = FiniteDifference.Gradient(logits, v => gradLoss * NaiveLosses.BinaryCrossEntropyWithLogits(v, targets, posWeight));
        var analytic = new double[n];
        NaiveLosses.BinaryCrossEntropyWithLogitsGradient(logits, targets, posWeight, gradLoss, analytic);
        NumericAssert.Close(numeric, FiniteDifference.ToFloat(analytic), (float)Tolerances.DoubleFiniteDifferenceRelative, 0f, "naive BCE gradient");

        var xf = FiniteDifference.ToFloat(logits);
        var tf = FiniteDifference.ToFloat(targets);
        var fast = new float[n];
        float pw = (float)posWeight;
        fixed (float* px = xf, pt = tf, pg = fast)
            BinaryCrossEntropyWithLogitsKernel.Backward(n, px, pt, &pw, (float)gradLoss, pg);
        NumericAssert.KernelClose(numeric, fast, "BCE kernel gradient");
    }

    [Fact]
    public void EmptyInputGivesNaNAndBackwardDoesNothing()
    {
        Assert.True(float.IsNaN(BinaryCrossEntropyWithLogitsKernel.Forward(0, null, null, null)));
        BinaryCrossEntropyWithLogitsKernel.Backward(0, null, null, null, 1f, null);
    }

    private static void Compare(Random rng, int n, float? posWeight, float low, float high)
    {
        var logits = PointwiseTestData.Uniform(rng, n, low, high);
        var targets = PointwiseTestData.Uniform(rng, n, 0f, 1f);
        for (int i = 0; i < n; i += 3) targets[i] = i % 2;
        var grad = PointwiseTestData.Uniform(rng, n, -1f, 1f);
        var gradNaive = (float[])grad.Clone();
        float pw = posWeight ?? 0f;
        float* ppw = posWeight is null ? null : &pw;
        float loss, lossNaive;
        fixed (float* px = logits, pt = targets, pg = grad, pgn = gradNaive)
        {
            loss = BinaryCrossEntropyWithLogitsKernel.Forward(n, px, pt, ppw);
            lossNaive = NaiveLosses.BinaryCrossEntropyWithLogitsForward(n, px, pt, ppw);
            BinaryCrossEntropyWithLogitsKernel.Backward(n, px, pt, ppw, 0.6f, pg);
            NaiveLosses.BinaryCrossEntropyWithLogitsBackward(n, px, pt, ppw, 0.6f, pgn);
        }
        NumericAssert.KernelClose([lossNaive], [loss], $"BCE loss n={n}");
        NumericAssert.KernelClose(gradNaive, grad, $"BCE gradient n={n}");
    }
}

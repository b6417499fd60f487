using TransferKit.Evaluation;

namespace TransferKit.Tests.Evaluation;

public sealed class RocCurveTests
{
    [Fact]
    public void FourSamplesGiveTheTextbookCurve()
    {
        // scikit-learn's roc_curve documentation example: y = [1, 1, 2, 2] with 2 positive.
        float[] scores = [0.1f, 0.4f, 0.35f, 0.8f];
        bool[] positive = [false, false, true, true];

        var curve = RocCurve.Compute(scores, positive);

        Assert.Equal([0, 0, 0.5, 0.5, 1], curve.FalsePositiveRates);
        Assert.Equal([0, 0.5, 0.5, 1, 1], curve.TruePositiveRates);
        Assert.Equal([double.PositiveInfinity, 0.8f, 0.4f, 0.35f, 0.1f], curve.Thresholds);
        Assert.Equal(0.75, RocCurve.AreaUnderCurve(scores, positive));
    }

    [Fact]
    public void TiedScoresMakeOneDiagonalStepWorthHalf()
    {
        float[] scores = [0.3f, 0.3f, 0.3f, 0.3f];
        bool[] positive = [true, false, false, true];

        var curve = RocCurve.Compute(scores, positive);

        Assert.Equal([0, 1], curve.FalsePositiveRates);
        Assert.Equal([0, 1], curve.TruePositiveRates);
        Assert.Equal(0.5, RocCurve.AreaUnderCurve(scores, positive));
    }

    [Fact]
    public void PerfectAndReversedRankingsGiveOneAndZero()
    {
        float[] scores = [0.9f, 0.8f, 0.2f, 0.1f];
        Assert.Equal(1.0, RocCurve.AreaUnderCurve(scores, [true, true, false, false]));
        Assert.Equal(0.0, RocCurve.AreaUnderCurve(scores, [false, false, true, true]));
    }

    [Fact]
    public void DroppingIntermediatePointsKeepsCornersOnly()
    {
        float[] scores = [4, 3, 2, 1];
        bool[] positive = [true, true, false, false];

        var full = RocCurve.Compute(scores, positive, dropIntermediate: false);
        var dropped = RocCurve.Compute(scores, positive);

        Assert.Equal([0, 0, 0, 0.5, 1], full.FalsePositiveRates);
        Assert.Equal([0, 0.5, 1, 1, 1], full.TruePositiveRates);

        // (0.5, 1) lies on the segment from (0, 1) to (1, 1); (0, 0.5) stays, as in scikit-learn, whose test
        // looks at the distinct thresholds only, before the origin is added.
        Assert.Equal([0, 0, 0, 1], dropped.FalsePositiveRates);
        Assert.Equal([0, 0.5, 1, 1], dropped.TruePositiveRates);
        Assert.Equal([double.PositiveInfinity, 4, 3, 1], dropped.Thresholds);
    }

    [Fact]
    public void AreaEqualsPairwiseRankingProbabilityOverManySizes()
    {
        var random = new Random(1234);
        for (int n = 2; n <= 120; n += 7)
        {
            // Scores on a coarse grid, so ties across classes are frequent.
            var scores = new float[n];
            var positive = new bool[n];
            for (int i = 0; i < n; i++)
            {
                scores[i] = random.Next(0, 6) / 5f;
                positive[i] = random.NextDouble() < 0.4;
            }

            positive[0] = true;
            positive[1] = false;
            MetricAssert.Close(NaiveArea(scores, positive), RocCurve.AreaUnderCurve(scores, positive), $"AUC at n = {n}");

            var curve = RocCurve.Compute(scores, positive, dropIntermediate: random.Next(2) == 0);
            MetricAssert.Close(NaiveArea(scores, positive), Trapezoid(curve), $"area under the returned curve at n = {n}");
        }
    }

    [Fact]
    public void NegativeInfiniteAndSignedZeroScoresKeepTheirOrder()
    {
        // Scores need not be probabilities here (logits, margins); -0 and +0 are one threshold, as they compare equal.
        float[] scores = [float.NegativeInfinity, -3.5f, -0f, 0f, 1e-30f, 2f, float.PositiveInfinity, float.MaxValue];
        bool[] positive = [false, false, true, false, true, false, true, true];

        var curve = RocCurve.Compute(scores, positive, dropIntermediate: false);

        Assert.Equal(
            [double.PositiveInfinity, float.PositiveInfinity, float.MaxValue, 2f, 1e-30f, 0f, -3.5f, float.NegativeInfinity], curve.Thresholds);
        Assert.Equal([0, 0, 0, 0.25, 0.25, 0.5, 0.75, 1], curve.FalsePositiveRates);
        Assert.Equal([0, 0.25, 0.5, 0.5, 0.75, 1, 1, 1], curve.TruePositiveRates);
        MetricAssert.Close(NaiveArea(scores, positive), RocCurve.AreaUnderCurve(scores, positive), "AUC with extreme scores");
    }

    [Fact]
    public void InvalidInputsAreNamed()
    {
        var nan = Assert.Throws<ArgumentException>(() => RocCurve.Compute([0.1f, float.NaN], [true, false]));
        Assert.Equal("scores", nan.ParamName);
        Assert.Contains("scores[1]", nan.Message, StringComparison.Ordinal);

        var oneClass = Assert.Throws<ArgumentException>(() => RocCurve.AreaUnderCurve([0.1f, 0.2f], [true, true]));
        Assert.Equal("isPositive", oneClass.ParamName);

        var lengths = Assert.Throws<ArgumentException>(() => RocCurve.Compute([0.1f, 0.2f], [true]));
        Assert.Equal("isPositive", lengths.ParamName);
    }

    /// <summary>The naive twin: the share of (positive, negative) pairs ranked correctly, ties counting one half.</summary>
    internal static double NaiveArea(ReadOnlySpan<float> scores, ReadOnlySpan<bool> positive)
    {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (!positive[i]) continue;
            for (int j = 0; j < scores.Length; j++)
            {
                if (positive[j]) continue;
                pairs++;
                if (scores[i] > scores[j]) wins += 1;
                else if (scores[i] == scores[j]) wins += 0.5;
            }
        }

        return wins / pairs;
    }

    private static double Trapezoid(RocCurve curve)
    {
        double area = 0;
        for (int i = 1; i < curve.FalsePositiveRates.Count; i++)
        {
            area += (curve.FalsePositiveRates[i] - curve.FalsePositiveRates[i - 1]) * (curve.TruePositiveRates[i] + curve.TruePositiveRates[i - 1]) / 2;
        }

        return area;
    }
}

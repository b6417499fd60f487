using TransferKit.Evaluation;

namespace TransferKit.Tests.Evaluation;

/// <summary>Small cases worked out by hand (fractions in the comments), plus the evaluator's streaming contract.</summary>
public sealed class ClassificationEvaluatorTests
{
    private static readonly string[] Abc = ["a", "b", "c"];

    // Predicted: 0, 1, 2, 0, 1, 0 (row 6 ties a and b; arg-max takes the lower index).
    private static readonly float[] ThreeClassProbabilities =
    [
        0.7f, 0.2f, 0.1f,
        0.1f, 0.8f, 0.1f,
        0.3f, 0.3f, 0.4f,
        0.5f, 0.25f, 0.25f,
        0.2f, 0.6f, 0.2f,
        0.4f, 0.4f, 0.2f,
    ];

    private static readonly int[] ThreeClassLabels = [0, 1, 2, 2, 0, 1];

    [Fact]
    public void ThreeClassCountsAndRatiosMatchTheHandComputation()
    {
        var report = ClassificationEvaluator.Evaluate(
            ThreeClassProbabilities, ThreeClassLabels, Abc, new() { TopK = [1, 2, 3, 4], OmitTrivialTopK = false });

        Assert.Equal(6, report.SampleCount);
        Assert.Equal([1L, 1, 0], report.ConfusionMatrix[0]);
        Assert.Equal([1L, 1, 0], report.ConfusionMatrix[1]);
        Assert.Equal([1L, 0, 1], report.ConfusionMatrix[2]);
        Assert.Equal(0.5, report.Accuracy);

        // a: TP 1, predicted 3, support 2; b: 1, 2, 2; c: 1, 1, 2. F1 = 2TP / (2TP + FP + FN).
        AssertClass(report.Classes[0], "a", 1.0 / 3, 0.5, 2.0 / 5, support: 2, predicted: 3);
        AssertClass(report.Classes[1], "b", 0.5, 0.5, 0.5, support: 2, predicted: 2);
        AssertClass(report.Classes[2], "c", 1.0, 0.5, 2.0 / 3, support: 2, predicted: 1);
        MetricAssert.Close(11.0 / 18, report.MacroPrecision, "macro precision");
        MetricAssert.Close(0.5, report.MacroRecall, "macro recall");
        MetricAssert.Close(47.0 / 90, report.MacroF1, "macro F1");
        MetricAssert.Close(11.0 / 18, report.WeightedPrecision, "weighted precision (equal supports)");
        MetricAssert.Close(47.0 / 90, report.WeightedF1, "weighted F1 (equal supports)");

        // Ranks of the true class: 0, 0, 0, 2 (0.5 above it, b's equal 0.25 has the lower index), 1, 1 (tie with a).
        Assert.Equal([1.0 / 2, 5.0 / 6, 1, 1], report.TopK.Select(t => t.Accuracy));
        Assert.Equal([1, 2, 3, 4], report.TopK.Select(t => t.K));
    }

    [Fact]
    public void LogLossIsTheMeanNegativeLogOfTheRenormalisedTrueProbability()
    {
        var report = ClassificationEvaluator.Evaluate(ThreeClassProbabilities, ThreeClassLabels, Abc);

        double sum = 0;
        for (int i = 0; i < ThreeClassLabels.Length; i++)
        {
            var row = ThreeClassProbabilities.AsSpan(i * 3, 3);
            sum -= Math.Log(row[ThreeClassLabels[i]] / ((double)row[0] + row[1] + row[2]));
        }

        MetricAssert.Close(sum / 6, report.LogLoss, "log-loss");
        Assert.Equal(1e-15, report.LogLossEpsilon);
    }

    [Fact]
    public void LogLossClipsAZeroProbabilityAtEpsilon()
    {
        string[] names = ["no", "yes"];
        var defaults = new ClassificationEvaluator(names);
        defaults.AddBinary([0f, 1f], [1, 1]);

        // -ln(1e-15) for the first sample, -ln(1 - 1e-15) ≈ 1e-15 for the second.
        MetricAssert.Close((-Math.Log(1e-15) - Math.Log(1 - 1e-15)) / 2, defaults.ToReport().LogLoss, "clipped log-loss");

        var coarse = new ClassificationEvaluator(names, new() { LogLossEpsilon = 1e-7 });
        coarse.Add([1f, 0f], [1]);
        MetricAssert.Close(-Math.Log(1e-7 / (1 - 1e-7 + 1e-7)), coarse.ToReport().LogLoss, "log-loss with eps 1e-7");
    }

    [Fact]
    public void SigmoidOutputAboveTheThresholdPredictsClassOne()
    {
        string[] names = ["no", "yes"];
        float[] p = [0.5f, 0.51f, 0.3f, 0.2f];
        int[] labels = [1, 1, 1, 0];

        var strict = new ClassificationEvaluator(names);
        strict.AddBinary(p, labels);
        Assert.Equal([[1L, 0], [2L, 1]], strict.ToReport().ConfusionMatrix.Select(r => r.ToArray()));

        var lower = new ClassificationEvaluator(names, new() { BinaryThreshold = 0.25f });
        lower.AddBinary(p, labels);
        Assert.Equal([[1L, 0], [0L, 3]], lower.ToReport().ConfusionMatrix.Select(r => r.ToArray()));
        Assert.Equal(1.0, lower.ToReport().Accuracy);
    }

    [Fact]
    public void OneSigmoidColumnAndTwoSoftmaxColumnsAgree()
    {
        float[] p = [0.5f, 0.9f, 0.25f, 0.75f, 0f, 1f, 0.5f];
        int[] labels = [0, 1, 1, 0, 0, 1, 1];
        var columns = new float[p.Length * 2];
        for (int i = 0; i < p.Length; i++)
        {
            columns[2 * i] = 1 - p[i];
            columns[(2 * i) + 1] = p[i];
        }

        string[] names = ["no", "yes"];
        var one = new ClassificationEvaluator(names, new() { TopK = [1, 2] });
        one.AddBinary(p, labels);
        var two = new ClassificationEvaluator(names, new() { TopK = [1, 2] });
        two.Add(columns, labels);

        // These p are exact in float32, so 1 - p is too and both paths see the same rows.
        Assert.Equal(one.ToReport().ToJson(), two.ToReport().ToJson());
    }

    [Fact]
    public void TopKAtOrAboveTheClassCount_IsLeftOutByDefault()
    {
        var byDefault = ClassificationEvaluator.Evaluate(ThreeClassProbabilities, ThreeClassLabels, Abc);
        var asked = ClassificationEvaluator.Evaluate(ThreeClassProbabilities, ThreeClassLabels, Abc, new() { TopK = [2, 3, 5] });

        Assert.Empty(byDefault.TopK);
        Assert.DoesNotContain("top-", byDefault.ToText(), StringComparison.Ordinal);
        Assert.Equal([2], asked.TopK.Select(t => t.K));
    }

    [Fact]
    public void RatiosWithZeroDenominatorAreZero()
    {
        // Class "c" is never predicted and class "b" has no samples but is predicted once.
        float[] probabilities = [0.6f, 0.3f, 0.1f, 0.2f, 0.7f, 0.1f, 0.5f, 0.1f, 0.4f];
        var report = ClassificationEvaluator.Evaluate(probabilities, [0, 0, 2], Abc);

        AssertClass(report.Classes[0], "a", 0.5, 0.5, 0.5, support: 2, predicted: 2);
        AssertClass(report.Classes[1], "b", 0, 0, 0, support: 0, predicted: 1);
        AssertClass(report.Classes[2], "c", 0, 0, 0, support: 1, predicted: 0);
        MetricAssert.Close(0.5 / 3, report.MacroF1, "macro F1 counts the empty classes");
        MetricAssert.Close(0.5 * 2 / 3, report.WeightedF1, "weighted F1 ignores the class with no support");

        // Class b has no positive sample, so its one-vs-rest AUC and the macro AUC are undefined.
        Assert.Null(report.Classes[1].RocAuc);
        Assert.Null(report.RocAuc);
    }

    [Fact]
    public void OneVsRestAucIsThePairwiseRankingProbabilityPerClass()
    {
        var report = ClassificationEvaluator.Evaluate(ThreeClassProbabilities, ThreeClassLabels, Abc);

        double macro = 0;
        for (int c = 0; c < 3; c++)
        {
            var scores = Enumerable.Range(0, 6).Select(i => ThreeClassProbabilities[(i * 3) + c]).ToArray();
            var positive = ThreeClassLabels.Select(l => l == c).ToArray();
            double expected = RocCurveTests.NaiveArea(scores, positive);
            MetricAssert.Close(expected, report.Classes[c].RocAuc, $"one-vs-rest AUC of class {c}");
            macro += expected / 3;
        }

        MetricAssert.Close(macro, report.RocAuc, "macro AUC");
        Assert.Null(report.RocCurve);
    }

    [Fact]
    public void AucCanBeTurnedOff()
    {
        var evaluator = new ClassificationEvaluator(["no", "yes"], new() { ComputeRocAuc = false });
        evaluator.AddBinary([0.2f, 0.8f], [0, 1]);
        var report = evaluator.ToReport();
        Assert.Null(report.RocAuc);
        Assert.Null(report.RocCurve);
        Assert.Equal(1.0, report.Accuracy);
    }

    [Fact]
    public void BinaryReportCarriesTheCurveOfClassOne()
    {
        var evaluator = new ClassificationEvaluator(["neg", "pos"]);
        evaluator.Add([0.9f, 0.1f, 0.6f, 0.4f, 0.65f, 0.35f, 0.2f, 0.8f], [0, 0, 1, 1]);
        var report = evaluator.ToReport();

        Assert.Equal(0.75, report.RocAuc);
        Assert.Equal([0, 0, 0.5, 0.5, 1], report.RocCurve!.FalsePositiveRates);
        Assert.All(report.Classes, c => Assert.Null(c.RocAuc));
    }

    [Fact]
    public void ReportingLeavesTheEvaluatorOpenAndResetEmptiesIt()
    {
        var evaluator = new ClassificationEvaluator(Abc);
        evaluator.Add(ThreeClassProbabilities.AsSpan(0, 9), ThreeClassLabels.AsSpan(0, 3));
        Assert.Equal(1.0, evaluator.ToReport().Accuracy);
        evaluator.Add(ThreeClassProbabilities.AsSpan(9), ThreeClassLabels.AsSpan(3));
        Assert.Equal(
            ClassificationEvaluator.Evaluate(ThreeClassProbabilities, ThreeClassLabels, Abc).ToJson(), evaluator.ToReport().ToJson());

        evaluator.Reset();
        Assert.Equal(0, evaluator.SampleCount);
        Assert.Throws<InvalidOperationException>(evaluator.ToReport);
        evaluator.Add([0.1f, 0.1f, 0.8f], [2]);
        Assert.Equal(1, evaluator.ToReport().SampleCount);
    }

    [Fact]
    public void EmptyBatchesAreAccepted()
    {
        var evaluator = new ClassificationEvaluator(Abc);
        evaluator.Add([], []);
        Assert.Equal(0, evaluator.SampleCount);
    }

    private static void AssertClass(ClassMetrics row, string name, double precision, double recall, double f1, long support, long predicted)
    {
        Assert.Equal(name, row.Name);
        MetricAssert.Close(precision, row.Precision, $"precision of {name}");
        MetricAssert.Close(recall, row.Recall, $"recall of {name}");
        MetricAssert.Close(f1, row.F1, $"F1 of {name}");
        Assert.Equal(support, row.Support);
        Assert.Equal(predicted, row.Predicted);
    }
}

using System.Text.Json;
using TransferKit.Evaluation;
using TransferKit.Tensors;

namespace TransferKit.Tests.Evaluation;

/// <summary>
/// Every metric against scikit-learn 1.2.1 on the cases of <c>tools/fixtures/metrics.py</c>: binary with tied scores
/// (one sigmoid column and two softmax columns), multiclass with a class never predicted, with a class absent from
/// the labels, and with ties inside rows. Inputs are fed in uneven batches, so streaming is covered too.
/// </summary>
public sealed class SklearnParityTests
{
    public static IEnumerable<object[]> Cases() => MetricsFixture.Cases();

    [Fact]
    public void AllFiveCasesArePresent() => Assert.Equal(5, MetricsFixture.Cases().Count());

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesScikitLearn(string name)
    {
        var fixture = MetricsFixture.Load(name);
        var report = Evaluate(fixture, batch: 17);
        AssertMatches(fixture, report);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TensorInputMatchesScikitLearn(string name)
    {
        var fixture = MetricsFixture.Load(name);
        var evaluator = new ClassificationEvaluator(fixture.ClassNames, Options(fixture));
        using (var scope = TensorScope.Begin())
        {
            int n = fixture.Labels.Length;
            var shape = fixture.BinaryInput ? new Shape(n, 1) : new Shape(n, fixture.ClassCount);
            evaluator.Add(Tensor.FromSpan(fixture.Probabilities, shape), fixture.Labels);
        }

        AssertMatches(fixture, evaluator.ToReport());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BatchingDoesNotChangeTheReport(string name)
    {
        var fixture = MetricsFixture.Load(name);
        string whole = Evaluate(fixture, batch: int.MaxValue).ToJson();
        foreach (int batch in (int[])[1, 3, 64])
        {
            // Log-loss is summed in sample order either way, so even its last bit agrees.
            Assert.Equal(whole, Evaluate(fixture, batch).ToJson());
        }
    }

    private static ClassificationEvaluatorOptions Options(MetricsFixture fixture) =>
        new() { TopK = fixture.TopK, LogLossEpsilon = fixture.LogLossEpsilon, OmitTrivialTopK = false };

    private static ClassificationReport Evaluate(MetricsFixture fixture, int batch)
    {
        var evaluator = new ClassificationEvaluator(fixture.ClassNames, Options(fixture));
        int n = fixture.Labels.Length, columns = fixture.BinaryInput ? 1 : fixture.ClassCount;
        for (int start = 0; start < n; start += Math.Min(batch, n))
        {
            int count = Math.Min(batch, n - start);
            var probabilities = fixture.Probabilities.AsSpan(start * columns, count * columns);
            var labels = fixture.Labels.AsSpan(start, count);
            if (fixture.BinaryInput) evaluator.AddBinary(probabilities, labels);
            else evaluator.Add(probabilities, labels);
        }

        return evaluator.ToReport();
    }

    private static void AssertMatches(MetricsFixture fixture, ClassificationReport report)
    {
        string at = fixture.Name;
        int classes = fixture.ClassCount;
        Assert.Equal(fixture.Labels.Length, report.SampleCount);
        Assert.Equal(fixture.Number("accuracy"), report.Accuracy);

        var topK = fixture.Expected.GetProperty("topK");
        foreach (var entry in report.TopK)
        {
            Assert.Equal(topK.GetProperty(entry.K.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetDouble(), entry.Accuracy);
        }

        MetricAssert.Close(fixture.Number("logLoss"), report.LogLoss, $"{at} log-loss");

        var confusion = fixture.Expected.GetProperty("confusionMatrix").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray();
        for (int t = 0; t < classes; t++) Assert.Equal(confusion[t], report.ConfusionMatrix[t]);

        double[] precision = fixture.Numbers("precision"), recall = fixture.Numbers("recall"), f1 = fixture.Numbers("f1"), support = fixture.Numbers("support");
        for (int c = 0; c < classes; c++)
        {
            var row = report.Classes[c];
            Assert.Equal($"class{c}", row.Name);
            Assert.Equal(precision[c], row.Precision);
            Assert.Equal(recall[c], row.Recall);
            MetricAssert.Close(f1[c], row.F1, $"{at} F1 of class {c}");
            Assert.Equal((long)support[c], row.Support);
        }

        MetricAssert.Close(fixture.Number("macroPrecision"), report.MacroPrecision, $"{at} macro precision");
        MetricAssert.Close(fixture.Number("macroRecall"), report.MacroRecall, $"{at} macro recall");
        MetricAssert.Close(fixture.Number("macroF1"), report.MacroF1, $"{at} macro F1");
        MetricAssert.Close(fixture.Number("weightedPrecision"), report.WeightedPrecision, $"{at} weighted precision");
        MetricAssert.Close(fixture.Number("weightedRecall"), report.WeightedRecall, $"{at} weighted recall");
        MetricAssert.Close(fixture.Number("weightedF1"), report.WeightedF1, $"{at} weighted F1");
        MetricAssert.Close(fixture.NullableNumber("rocAuc"), report.RocAuc, $"{at} ROC AUC");

        var perClass = fixture.Expected.GetProperty("perClassRocAuc");
        for (int c = 0; c < classes; c++)
        {
            double? expected = perClass.ValueKind == JsonValueKind.Null || perClass[c].ValueKind == JsonValueKind.Null ? null : perClass[c].GetDouble();
            MetricAssert.Close(expected, report.Classes[c].RocAuc, $"{at} one-vs-rest AUC of class {c}");
        }

        var roc = fixture.Expected.GetProperty("roc");
        if (roc.ValueKind == JsonValueKind.Null)
        {
            Assert.Null(report.RocCurve);
            return;
        }

        var curve = Assert.IsType<RocCurve>(report.RocCurve);
        Assert.Equal(roc.GetProperty("fpr").EnumerateArray().Select(e => e.GetDouble()), curve.FalsePositiveRates);
        Assert.Equal(roc.GetProperty("tpr").EnumerateArray().Select(e => e.GetDouble()), curve.TruePositiveRates);

        // scikit-learn 1.2 starts at max + 1 (written as null), TransferKit at +infinity; the rest are the scores.
        Assert.Equal(double.PositiveInfinity, curve.Thresholds[0]);
        Assert.Equal(roc.GetProperty("thresholds").EnumerateArray().Skip(1).Select(e => e.GetDouble()), curve.Thresholds.Skip(1));
    }
}

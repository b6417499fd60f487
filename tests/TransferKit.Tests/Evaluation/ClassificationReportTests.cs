using System.Globalization;
using TransferKit.Evaluation;

namespace TransferKit.Tests.Evaluation;

/// <summary>The text layout, the JSON format (pinned property names, version) and its round trip.</summary>
public sealed class ClassificationReportTests
{
    // Checked by hand and against scikit-learn 1.2.1: predictions 0, 1, 0 (0.5 is not above the threshold), 1;
    // log_loss([0, 1, 1, 0], [0.25, 0.75, 0.5, 1], eps=1e-15) = 8.952021829451096; AUC 0.5.
    private const string BinaryJson =
        """{"version":1,"classNames":["cat","dog"],"sampleCount":4,"accuracy":0.5,"topK":[{"k":1,"accuracy":0.5},{"k":2,"accuracy":1}]""" +
        ""","logLoss":8.952021829451096,"logLossEpsilon":1E-15,"classes":[""" +
        """{"name":"cat","precision":0.5,"recall":0.5,"f1":0.5,"support":2,"predicted":2,"rocAuc":null}""" +
        """,{"name":"dog","precision":0.5,"recall":0.5,"f1":0.5,"support":2,"predicted":2,"rocAuc":null}]""" +
        ""","macroPrecision":0.5,"macroRecall":0.5,"macroF1":0.5,"weightedPrecision":0.5,"weightedRecall":0.5,"weightedF1":0.5""" +
        ""","rocAuc":0.5,"rocCurve":{"falsePositiveRates":[0,0.5,0.5,1],"truePositiveRates":[0,0,1,1],"thresholds":["Infinity",1,0.5,0.25]}""" +
        ""","confusionMatrix":[[1,1],[1,1]]}""";

    private const string BinaryText = """
                     precision    recall  f1-score   support

                 cat    0.5000    0.5000    0.5000         2
                 dog    0.5000    0.5000    0.5000         2

            accuracy                        0.5000         4
           macro avg    0.5000    0.5000    0.5000         4
        weighted avg    0.5000    0.5000    0.5000         4

        top-1 accuracy  0.5000
        top-2 accuracy  1.0000
        log-loss        8.9520 (probabilities clipped to [1e-15, 1 - 1e-15])
        ROC AUC         0.5000 (positive class "dog")

        Confusion matrix (rows = true class, columns = predicted class):
             cat  dog
        cat    1    1
        dog    1    1

        """;

    private static ClassificationReport BinaryReport()
    {
        var evaluator = new ClassificationEvaluator(["cat", "dog"], new() { TopK = [1, 2], OmitTrivialTopK = false });
        evaluator.AddBinary([0.25f, 0.75f, 0.5f, 1f], [0, 1, 1, 0]);
        return evaluator.ToReport();
    }

    private static ClassificationReport MulticlassReport()
    {
        // Class "c" has no sample, so its AUC and the macro AUC are null: the JSON must carry nulls both ways.
        var evaluator = new ClassificationEvaluator(["airplane", "bird", "c"], new() { TopK = [2] });
        evaluator.Add([0.75f, 0.25f, 0f, 0f, 1f, 0f, 0.5f, 0f, 0.5f, 0.5f, 0.25f, 0.25f], [0, 1, 0, 1]);
        return evaluator.ToReport();
    }

    [Fact]
    public void JsonPropertyNamesAndLayoutArePinned() => Assert.Equal(BinaryJson, BinaryReport().ToJson(indented: false));

    [Fact]
    public void IndentedJsonStartsWithTheVersion()
    {
        string json = BinaryReport().ToJson();
        Assert.StartsWith("{\n  \"version\": 1,", json.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void JsonRoundTripsExactly()
    {
        foreach (var report in (ClassificationReport[])[BinaryReport(), MulticlassReport()])
        {
            string json = report.ToJson();
            var back = ClassificationReport.FromJson(json);
            Assert.Equal(json, back.ToJson());
            Assert.Equal(report.ClassNames, back.ClassNames);
            Assert.Equal(report.LogLoss, back.LogLoss);
            Assert.Equal(report.RocAuc, back.RocAuc);
            Assert.Equal(report.Classes, back.Classes);
            Assert.Equal(report.TopK, back.TopK);
            Assert.Equal(report.ToText(), back.ToText());
        }

        var curve = ClassificationReport.FromJson(BinaryJson).RocCurve!;
        Assert.Equal(double.PositiveInfinity, curve.Thresholds[0]);
        Assert.Null(ClassificationReport.FromJson(MulticlassReport().ToJson()).RocAuc);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("""{"classNames":["a","b"]}""")]
    [InlineData("""{"version":2}""")]
    [InlineData("""{"version":"1"}""")]
    public void MalformedOrForeignJsonIsRefused(string json) =>
        Assert.Throws<TransferKitException>(() => ClassificationReport.FromJson(json));

    [Fact]
    public void MissingOrNullPropertiesAreRefused()
    {
        Assert.Throws<TransferKitException>(() => ClassificationReport.FromJson(BinaryJson.Replace("\"accuracy\":0.5,\"topK\"", "\"topK\"", StringComparison.Ordinal)));
        Assert.Throws<TransferKitException>(() => ClassificationReport.FromJson(BinaryJson.Replace("\"name\":\"cat\"", "\"name\":null", StringComparison.Ordinal)));
        Assert.Throws<TransferKitException>(() => ClassificationReport.FromJson(BinaryJson.Replace(",\"predicted\":2,\"rocAuc\":null}]", ",\"rocAuc\":null}]", StringComparison.Ordinal)));
    }

    [Fact]
    public void NullListEntriesAreRefused()
    {
        Assert.Throws<TransferKitException>(() => ClassificationReport.FromJson(BinaryJson.Replace("[\"cat\",\"dog\"]", "[\"cat\",null]", StringComparison.Ordinal)));
        Assert.Throws<TransferKitException>(() => ClassificationReport.FromJson(BinaryJson.Replace("[[1,1],[1,1]]", "[[1,1],null]", StringComparison.Ordinal)));
    }

    [Fact]
    public void InconsistentSizesAreRefused()
    {
        var e = Assert.Throws<TransferKitException>(() =>
            ClassificationReport.FromJson(BinaryJson.Replace("[[1,1],[1,1]]", "[[1,1],[1,1],[0,0]]", StringComparison.Ordinal)));
        Assert.Contains("confusion matrix", e.Message, StringComparison.Ordinal);
        Assert.Throws<TransferKitException>(() =>
            ClassificationReport.FromJson(BinaryJson.Replace("\"truePositiveRates\":[0,0,1,1]", "\"truePositiveRates\":[0,1,1]", StringComparison.Ordinal)));
    }

    [Fact]
    public void TextIsTheAlignedTableAndNamedConfusionMatrix() =>
        Assert.Equal(BinaryText.ReplaceLineEndings("\n"), BinaryReport().ToText().ReplaceLineEndings("\n"));

    [Fact]
    public void TextIgnoresTheCurrentCulture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal(BinaryText.ReplaceLineEndings("\n"), BinaryReport().ToText().ReplaceLineEndings("\n"));
            Assert.Equal(BinaryJson, BinaryReport().ToJson(indented: false));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void TextWidensForLongNamesAndCanOmitTheMatrix()
    {
        var report = MulticlassReport();
        string text = report.ToText(digits: 2);
        Assert.Contains("    airplane      0.67      1.00      0.80         2", text, StringComparison.Ordinal);
        Assert.Contains("          airplane  bird  c\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("    bird         1     1  0\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("n/a", text, StringComparison.Ordinal);

        string small = report.ToText(digits: 2, maxConfusionClasses: 2);
        Assert.Contains("Confusion matrix omitted (3 classes)", small, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => report.ToText(digits: 16));
    }
}

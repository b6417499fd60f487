using System.Xml.Linq;
using TransferKit.Api;
using TransferKit.Data.Synthetic;
using TransferKit.Models;
using TransferKit.Tests.Api;

namespace TransferKit.Tests.Reporting;

[Collection(TrainedReportCollection.Name)]
public sealed class BinaryReportTests(TrainedReport fixture)
{
    [Fact]
    public async Task ASigmoidHeadReportsItsWrongestImagesAndItsRocCurve()
    {
        var train = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 12, TrainedReport.Size, seed: 3);
        var validation = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 10, TrainedReport.Size, seed: 4);
        using var trainer = TrainedReport.Builder(fixture.WeightsFile())
            .WithHead(HeadSpec.Pooled().WithOutput(HeadOutput.Sigmoid))
            .WithTraining(o => o.Epochs = 2)
            .WithClasses("cat", "dog").Build();
        var result = await trainer.FitAsync(train, validation);
        var document = XDocument.Parse(result.ToHtml());

        var predictions = trainer.Model.Predict(Enumerable.Range(0, validation.Count).Select(i => validation.Decode(i)).ToArray());
        var wrong = predictions.Select((p, i) => (Index: i, p.ClassIndex, p.Confidence)).Where(w => w.ClassIndex != validation.GetLabel(w.Index)).ToList();
        Assert.NotEmpty(wrong);
        Assert.Equal(Math.Min(16, wrong.Count), result.ConfidentlyWrong.Count);
        foreach (var m in result.ConfidentlyWrong)
        {
            Assert.Equal(predictions[m.Index].ClassIndex, m.PredictedLabel);
            Assert.InRange(m.Confidence, 0.5f, 1f);
            float tolerance = (Tolerances.CachedTrainingRelative * m.Confidence) + Tolerances.GoldenAbsolute;
            Assert.True(Math.Abs(predictions[m.Index].Confidence - m.Confidence) <= tolerance, $"confidence of {m.Index}");
        }

        var roc = document.Descendants("svg").Single(e => (string?)e.Attribute("data-chart") == "roc");
        var curve = roc.Elements("polyline").Single(l => (string?)l.Attribute("data-series") == "roc");
        Assert.Equal(result.ValidationReport!.RocCurve!.FalsePositiveRates.Count, ((string)curve.Attribute("points")!).Split(' ').Length);
    }
}

using System.Xml.Linq;
using TransferKit.Api;
using TransferKit.Training.Freezing;

namespace TransferKit.Tests.Reporting;

[Collection(TrainedReportCollection.Name)]
public sealed class FineTuneReportTests(TrainedReport fixture)
{
    [Fact]
    public async Task OneReportCoversBothPhasesAndTheFinalModel()
    {
        using var trainer = TrainedReport.Builder(fixture.WeightsFile()).WithClasses(TrainedReport.ClassNames).Build();
        // Phase 2 unfreezes everything, so its validation runs through the loader rather than the cache.
        var result = await trainer.FineTuneAsync(fixture.Train, fixture.Validation, frozenEpochs: 2, unfrozenEpochs: 1, FreezeDepth.None);
        string path = Path.Combine(fixture.Directory, "fine-tune.html");
        result.SaveReport(path);
        var document = XDocument.Parse(File.ReadAllText(path));

        var loss = document.Descendants("svg").Single(e => (string?)e.Attribute("data-chart") == "loss");
        var train = loss.Elements("polyline").Single(e => (string?)e.Attribute("data-series") == "train");
        Assert.Equal(3, ((string)train.Attribute("points")!).Split(' ').Length);
        Assert.Single(loss.Elements("line"), l => (string?)l.Attribute("class") == "marker");
        var rate = document.Descendants("svg").Single(e => (string?)e.Attribute("data-chart") == "learning-rate");
        string ratePoints = (string)rate.Elements("polyline").Single().Attribute("points")!;
        Assert.Equal(result.Frozen.LearningRates.Count + result.Unfrozen.LearningRates.Count, ratePoints.Split(' ').Length);
        Assert.Equal(3e-4, result.Unfrozen.LearningRates[0].LearningRate, 12);

        // The settings table has a column per phase, and the freeze differs between them.
        var settings = document.Descendants("table").Single(t => (string?)t.Attribute("class") == "settings");
        var freeze = settings.Elements("tr").Single(r => r.Element("th")!.Value == "freeze").Elements("td").Select(d => d.Value).ToArray();
        Assert.Equal(2, freeze.Length);
        Assert.StartsWith("3 of 3 units frozen", freeze[0], StringComparison.Ordinal);
        Assert.StartsWith("nothing frozen", freeze[1], StringComparison.Ordinal);
        Assert.Equal(0, result.Unfrozen.Settings!.FrozenUnits);
        Assert.StartsWith("off", result.Unfrozen.Settings.CacheDecision, StringComparison.Ordinal);

        // The evaluation sections describe the final (phase 2) model.
        var report = result.Unfrozen.ValidationReport!;
        Assert.Same(trainer.ValidationReport, report);
        var cells = document.Descendants("rect").Where(r => r.Attribute("data-count") is not null).ToList();
        Assert.All(cells, c => Assert.Equal(report.ConfusionMatrix[(int)c.Attribute("data-true")!][(int)c.Attribute("data-predicted")!], (long)c.Attribute("data-count")!));
        var predictions = trainer.Model.Predict(Enumerable.Range(0, fixture.Validation.Count).Select(i => fixture.Validation.Decode(i)).ToArray());
        int wrongCount = predictions.Where((p, i) => p.ClassIndex != fixture.Validation.GetLabel(i)).Count();
        Assert.Equal(Math.Min(16, wrongCount), result.Unfrozen.ConfidentlyWrong.Count);
        Assert.All(result.Unfrozen.ConfidentlyWrong, m => Assert.Equal(predictions[m.Index].ClassIndex, m.PredictedLabel));
        Assert.Equal(result.Unfrozen.ConfidentlyWrong.Select(m => m.Index),
            document.Descendants("figure").Where(f => f.Attribute("data-index") is not null).Select(f => (int)f.Attribute("data-index")!));
    }
}

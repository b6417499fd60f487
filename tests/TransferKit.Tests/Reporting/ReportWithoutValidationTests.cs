using System.Xml.Linq;
using TransferKit.Api;

namespace TransferKit.Tests.Reporting;

[Collection(TrainedReportCollection.Name)]
public sealed class ReportWithoutValidationTests(TrainedReport fixture)
{
    [Fact]
    public async Task WithoutAValidationSetTheReportSaysSoAndStillHasItsCurvesAndSettings()
    {
        using var trainer = TrainedReport.Builder(null).FromScratch().WithClasses(TrainedReport.ClassNames).Build();
        var result = await trainer.FitAsync(fixture.Train);
        Assert.Null(result.ValidationReport);
        Assert.Empty(result.ConfidentlyWrong);
        string path = Path.Combine(fixture.Directory, "no-validation.html");
        result.SaveReport(path);
        var document = XDocument.Parse(File.ReadAllText(path));

        Assert.DoesNotContain(document.Descendants("svg"), e => (string?)e.Attribute("data-chart") == "confusion");
        var notes = document.Descendants("p").Where(p => (string?)p.Attribute("class") == "note").Select(p => p.Value).ToList();
        Assert.Contains(notes, n => n.Contains("no confusion matrix", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("no per-class metrics", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("no misclassified images", StringComparison.Ordinal));
        var loss = document.Descendants("svg").Single(e => (string?)e.Attribute("data-chart") == "loss");
        Assert.Equal(["train"], loss.Elements("polyline").Select(l => (string)l.Attribute("data-series")!));
        var images = document.Descendants("table").Single(t => (string?)t.Attribute("class") == "settings").Elements("tr")
            .Single(r => r.Element("th")!.Value == "images").Element("td")!.Value;
        Assert.EndsWith("no validation set", images, StringComparison.Ordinal);
        Assert.Equal("off: nothing is frozen", result.Settings!.CacheDecision);
    }
}

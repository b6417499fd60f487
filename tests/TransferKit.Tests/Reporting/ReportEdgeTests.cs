using System.Xml.Linq;
using TransferKit.Api;
using TransferKit.Reporting;

namespace TransferKit.Tests.Reporting;

/// <summary>Flat curves, folder-per-class captions and skipped images, in the markup (the pixels are ChromiumRenderTests').</summary>
[Collection(TrainedReportCollection.Name)]
public sealed class ReportEdgeTests(TrainedReport fixture)
{
    private readonly XDocument _page = XDocument.Parse(EdgeReport.From(fixture.Result).ToHtml());

    [Fact]
    public void AFlatLossCurve_GetsDistinctTickLabelsClearOfTheAxisTitle()
    {
        var chart = _page.Descendants("svg").Single(s => (string?)s.Attribute("data-chart") == "loss");
        var labels = chart.Elements("text").Where(t => (string?)t.Attribute("text-anchor") == "end").ToList();
        Assert.True(labels.Count >= 2);
        Assert.Equal(labels.Count, labels.Select(t => t.Value).Distinct().Count());
        // Right-aligned at x, each label spans about 6.6 px a character to its left; the rotated title ends near x = 20.
        foreach (var label in labels) Assert.True(double.Parse((string)label.Attribute("x")!, System.Globalization.CultureInfo.InvariantCulture) - (6.6 * label.Value.Length) >= 20, label.Value);
    }

    [Theory]
    [InlineData(0.693147, 0.693149)]
    [InlineData(1e-7, 1.00001e-7)]
    [InlineData(2e9, 2.0000001e9)]
    [InlineData(5, 5)]
    public void TickLabels_AreDistinct(double low, double high)
    {
        var axis = AxisScale.Create(low, high, 0, 100, targetTicks: 6);
        var labels = axis.Ticks.Select(axis.Format).ToList();
        Assert.Equal(labels.Count, labels.Distinct().Count());
    }

    [Fact]
    public void MistakesAreCaptionedRelativeToTheDatasetRoot()
    {
        var captions = _page.Descendants("div").Where(d => (string?)d.Attribute("class") == "source").Select(d => d.Value).ToList();
        Assert.Contains("Cat/96.jpg", captions);
        Assert.All(captions, c => Assert.DoesNotContain(EdgeReport.Root, c, StringComparison.Ordinal));
        Assert.Equal("Cat/96.jpg", SourcePaths.Relative("/data/pets/Cat/96.jpg", SourcePaths.CommonFolder(["/data/pets/Cat/96.jpg", "/data/pets/Dog/1.jpg"])));
        Assert.Equal("96.jpg", SourcePaths.Relative("/data/pets/Cat/96.jpg", SourcePaths.CommonFolder(["/data/pets/Cat/96.jpg"])));
        Assert.Null(SourcePaths.CommonFolder(["memory#1", "memory#2"]));
    }

    [Fact]
    public void SkippedImagesAreListedWithTheirReasons()
    {
        var section = _page.Descendants("section").Single(s => (string?)s.Attribute("id") == "bad-images");
        string text = section.Value;
        Assert.Contains("Cat/666.jpg", text, StringComparison.Ordinal);
        Assert.Contains("Truncated", text, StringComparison.Ordinal);
        Assert.Contains("premature end of JPEG data", text, StringComparison.Ordinal);
        Assert.Contains("Dog/Thumbs.db", text, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"bad-images\"", fixture.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void ChartsKeepAReadableMinimumWidthAndTablesScroll()
    {
        Assert.All(_page.Descendants("svg").Where(s => (string?)s.Attribute("class") == "chart"),
            s => Assert.StartsWith("min-width:", (string?)s.Attribute("style")));
        string css = _page.Descendants("style").Single().Value;
        Assert.Contains("overflow-x:auto", css[css.IndexOf("table{", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }
}

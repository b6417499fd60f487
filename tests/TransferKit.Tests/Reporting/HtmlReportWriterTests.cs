using System.Xml.Linq;
using TransferKit.Api;
using TransferKit.Evaluation;
using TransferKit.Reporting;
using TransferKit.Training.Callbacks;

namespace TransferKit.Tests.Reporting;

public sealed class HtmlReportWriterTests
{
    private static ClassificationReport RandomReport(int classes, int samples, int seed)
    {
        var random = new Random(seed);
        var names = Enumerable.Range(0, classes).Select(c => c == 3 ? "a class name far longer than any axis label should be" : $"class {c}").ToArray();
        var p = new float[samples * classes];
        var labels = new int[samples];
        for (int i = 0; i < samples; i++)
        {
            labels[i] = random.Next(classes);
            float sum = 0;
            for (int c = 0; c < classes; c++) sum += p[(i * classes) + c] = (float)random.NextDouble() + (c == labels[i] ? 2f : 0f);
            for (int c = 0; c < classes; c++) p[(i * classes) + c] /= sum;
        }
        return ClassificationEvaluator.Evaluate(p, labels, names);
    }

    private static TrainingResult Result(ClassificationReport? report, int steps = 0) =>
        new([new EpochResult(0, 1.0, 0.5, 1.1, 0.45, 1e-3, TimeSpan.FromSeconds(1), 10)], null, false, TimeSpan.FromSeconds(1))
        {
            ValidationReport = report,
            LearningRates = Enumerable.Range(0, steps).Select(s => new LearningRateStep((double)s / steps, 1e-3 * (1 + Math.Cos(Math.PI * s / steps)))).ToArray(),
        };

    [Fact]
    public void ManyClassesDrawOnlyTheThirtyWithTheMostErrorsAndSaySo()
    {
        var report = RandomReport(classes: 40, samples: 2000, seed: 1);
        var document = XDocument.Parse(Result(report).ToHtml());
        var cells = document.Descendants("rect").Where(r => r.Attribute("data-count") is not null).ToList();
        Assert.Equal(30 * 30, cells.Count);
        var shown = cells.Select(c => (int)c.Attribute("data-true")!).Distinct().Order().ToArray();
        Assert.Equal(HtmlReportWriter.ConfusionClasses(report.ConfusionMatrix, 30), shown);
        Assert.All(cells, c => Assert.Equal(report.ConfusionMatrix[(int)c.Attribute("data-true")!][(int)c.Attribute("data-predicted")!], (long)c.Attribute("data-count")!));
        Assert.Contains(document.Descendants("p"), p => p.Value.StartsWith("40 classes are too many", StringComparison.Ordinal));
        Assert.Equal(40, document.Descendants("tr").Count(r => (string?)r.Attribute("class") == "class-row"));
    }

    [Fact]
    public void TheClassesWithTheMostErrorsAreChosenAsCountingWouldChooseThem()
    {
        var report = RandomReport(classes: 12, samples: 500, seed: 2);
        var m = report.ConfusionMatrix;
        var errors = Enumerable.Range(0, 12).Select(c => Enumerable.Range(0, 12).Where(o => o != c).Sum(o => m[c][o] + m[o][c])).ToArray();
        var expected = Enumerable.Range(0, 12).OrderByDescending(c => errors[c]).ThenByDescending(c => m[c].Sum()).ThenBy(c => c).Take(5).Order();
        Assert.Equal(expected, HtmlReportWriter.ConfusionClasses(m, 5));
        Assert.Equal(Enumerable.Range(0, 12), HtmlReportWriter.ConfusionClasses(m, 12));
    }

    [Fact]
    public void LongClassNamesAreShortenedOnTheAxesWithTheFullNameInATooltip()
    {
        var report = RandomReport(classes: 5, samples: 100, seed: 3);
        var document = XDocument.Parse(Result(report).ToHtml());
        var label = document.Descendants("text").First(t => (string?)t.Attribute("class") == "row-label" && t.Value.Contains("far longer", StringComparison.Ordinal));
        Assert.Equal(report.ClassNames[3], label.Element("title")!.Value);
        Assert.EndsWith("…", label.Nodes().OfType<XText>().Single().Value, StringComparison.Ordinal);
    }

    [Fact]
    public void ALongScheduleIsThinnedButKeepsItsEnds()
    {
        var result = Result(null, steps: 5000);
        var document = XDocument.Parse(result.ToHtml());
        var line = document.Descendants("svg").Single(e => (string?)e.Attribute("data-chart") == "learning-rate").Element("polyline")!;
        var points = ((string)line.Attribute("points")!).Split(' ');
        Assert.InRange(points.Length, 1000, SvgLineChart.MaxPointsPerLine + 1);
        var all = Enumerable.Range(0, 5000).Select(i => ((double)i, (double)i)).ToList();
        var thinned = SvgLineChart.Thin(all);
        Assert.Equal(all[0], thinned[0]);
        Assert.Equal(all[^1], thinned[^1]);
    }

    [Fact]
    public void HeatMapColoursRunFromLightToDarkWithReadableText()
    {
        var light = ColorScale.At(0);
        var dark = ColorScale.At(1);
        Assert.Equal(ColorScale.Darkest, dark);
        Assert.Equal("#f7fbff", ColorScale.Hex(light));
        Assert.Equal("#111111", ColorScale.TextOn(light));
        Assert.Equal("#ffffff", ColorScale.TextOn(dark));
        double Luminance((byte R, byte G, byte B) c) => (0.2126 * c.R) + (0.7152 * c.G) + (0.0722 * c.B);
        for (int i = 1; i <= 20; i++) Assert.True(Luminance(ColorScale.At(i / 20.0)) < Luminance(ColorScale.At((i - 1) / 20.0)));
    }
}

using System.Globalization;
using System.Xml.Linq;
using TransferKit.Api;
using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Reporting;

[Collection(TrainedReportCollection.Name)]
public sealed class TrainingReportTests(TrainedReport fixture)
{
    private XElement Chart(string key) => fixture.Document.Descendants("svg").Single(e => (string?)e.Attribute("data-chart") == key);

    private static int PointCount(XElement chart, string series)
    {
        var line = chart.Elements("polyline").Single(e => (string?)e.Attribute("data-series") == series);
        return ((string)line.Attribute("points")!).Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
    }

    [Fact]
    public void CurvesHaveOnePointPerEpochAndTheLearningRateOnePerStep()
    {
        Assert.Equal(TrainedReport.Epochs, fixture.Result.Epochs.Count);
        foreach (string chart in (string[])["loss", "accuracy"])
        {
            foreach (string series in (string[])["train", "validation"])
            {
                Assert.Equal(TrainedReport.Epochs, PointCount(Chart(chart), series));
                Assert.Equal(TrainedReport.Epochs, Chart(chart).Elements("circle").Count(e => (string?)e.Attribute("data-series") == series));
            }
        }
        int stepsPerEpoch = (fixture.Train.Count + TrainedReport.BatchSize - 1) / TrainedReport.BatchSize;
        Assert.Equal(TrainedReport.Epochs * stepsPerEpoch, fixture.Result.LearningRates.Count);
        Assert.Equal(TrainedReport.Epochs * stepsPerEpoch, PointCount(Chart("learning-rate"), "learning-rate"));
        Assert.Equal(1.0 / stepsPerEpoch, fixture.Result.LearningRates[1].Epoch, 12);
        Assert.All(fixture.Result.LearningRates, p => Assert.Equal(3e-3, p.LearningRate, 12));
        // Axes: tick labels and titles are there.
        Assert.Contains(Chart("loss").Elements("text"), t => t.Value == "epoch");
        Assert.True(Chart("accuracy").Elements("line").Count(l => (string?)l.Attribute("class") == "grid") >= 3);
    }

    [Fact]
    public void ConfusionMatrixCellsEqualTheValidationReportsCounts()
    {
        var report = fixture.Result.ValidationReport!;
        Assert.Same(fixture.Trainer.ValidationReport, report);
        var cells = Chart("confusion").Elements("rect").Where(r => r.Attribute("data-count") is not null).ToList();
        Assert.Equal(16, cells.Count);
        foreach (var cell in cells)
        {
            int t = (int)cell.Attribute("data-true")!, p = (int)cell.Attribute("data-predicted")!;
            Assert.Equal(report.ConfusionMatrix[t][p], (long)cell.Attribute("data-count")!);
        }
        Assert.Equal(fixture.Validation.Count, cells.Sum(c => (long)c.Attribute("data-count")!));
        var labels = Chart("confusion").Elements("text").Where(e => (string?)e.Attribute("class") == "row-label").Select(e => e.Value).ToArray();
        Assert.Equal(TrainedReport.ClassNames, labels);
    }

    [Fact]
    public void PerClassTableHasARowPerClassWithItsMetrics()
    {
        var report = fixture.Result.ValidationReport!;
        var rows = fixture.Document.Descendants("tr").Where(r => (string?)r.Attribute("class") == "class-row").ToList();
        Assert.Equal(TrainedReport.ClassNames.Length, rows.Count);
        for (int c = 0; c < rows.Count; c++)
        {
            var cells = rows[c].Elements("td").Select(e => e.Value).ToArray();
            Assert.Equal(TrainedReport.ClassNames[c], cells[0]);
            Assert.Equal(report.Classes[c].Precision.ToString("F4", CultureInfo.InvariantCulture), cells[1]);
            Assert.Equal(report.Classes[c].Recall.ToString("F4", CultureInfo.InvariantCulture), cells[2]);
            Assert.Equal(report.Classes[c].F1.ToString("F4", CultureInfo.InvariantCulture), cells[3]);
            Assert.Equal(report.Classes[c].Support.ToString(CultureInfo.InvariantCulture), cells[4]);
        }
        string text = fixture.Document.Root!.Value;
        Assert.Contains("macro-F1", text, StringComparison.Ordinal);
        Assert.Contains(report.LogLoss.ToString("F4", CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.Contains("ROC AUC", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ThumbnailsAreTheMostConfidentlyWrongValidationImages()
    {
        var validation = fixture.Validation;
        var images = Enumerable.Range(0, validation.Count).Select(i => validation.Decode(i)).ToArray();
        // Independent of the fit: the saved model predicts every validation image on its own.
        var predictions = fixture.Trainer.Model.Predict(images);
        var wrong = predictions.Select((p, i) => (Index: i, p.ClassIndex, p.Confidence)).Where(w => w.ClassIndex != validation.GetLabel(w.Index)).ToList();
        var reported = fixture.Result.ConfidentlyWrong;

        Assert.NotEmpty(wrong);
        Assert.Equal(Math.Min(16, wrong.Count), reported.Count);
        for (int i = 1; i < reported.Count; i++) Assert.True(reported[i - 1].Confidence >= reported[i].Confidence, "most confident first");
        float tolerance(float c) => (Tolerances.CachedTrainingRelative * c) + Tolerances.GoldenAbsolute;
        foreach (var m in reported)
        {
            Assert.Equal(validation.GetLabel(m.Index), m.TrueLabel);
            Assert.Equal(TrainedReport.ClassNames[m.TrueLabel], m.TrueClass);
            Assert.Equal(predictions[m.Index].ClassIndex, m.PredictedLabel);
            Assert.Equal(TrainedReport.ClassNames[m.PredictedLabel], m.PredictedClass);
            Assert.Equal(validation.GetSourceName(m.Index), m.SourceName);
            Assert.True(Math.Abs(predictions[m.Index].Confidence - m.Confidence) <= tolerance(m.Confidence), $"confidence of {m.Index}: {m.Confidence} vs {predictions[m.Index].Confidence}");
        }
        // Nothing left out was more confident than the least confident one kept.
        float cut = reported[^1].Confidence;
        var kept = reported.Select(m => m.Index).ToHashSet();
        foreach (var w in wrong.Where(w => !kept.Contains(w.Index)))
            Assert.True(w.Confidence <= cut + tolerance(cut), $"image {w.Index} (confidence {w.Confidence}) beats the cut {cut}");

        // Each thumbnail is a JPEG of its own image: closer to it than to any other validation image.
        foreach (var m in reported)
        {
            var thumbnail = ImageDecoder.Decode(m.Thumbnail.Span, "thumbnail");
            Assert.Equal(ImageFormat.Jpeg, thumbnail.SourceFormat);
            Assert.Equal((TrainedReport.Size, TrainedReport.Size), (thumbnail.Width, thumbnail.Height));
            int nearest = Enumerable.Range(0, images.Length).MinBy(i => MeanAbsoluteDifference(images[i], thumbnail));
            Assert.Equal(m.Index, nearest);
        }

        // The page shows the same images in the same order.
        var figures = fixture.Document.Descendants("figure").Where(f => f.Attribute("data-index") is not null).ToList();
        Assert.Equal(reported.Select(m => m.Index), figures.Select(f => (int)f.Attribute("data-index")!));
        for (int i = 0; i < figures.Count; i++)
        {
            string src = (string)figures[i].Element("img")!.Attribute("src")!;
            Assert.StartsWith("data:image/jpeg;base64,", src, StringComparison.Ordinal);
            Assert.Equal(reported[i].Thumbnail.ToArray(), Convert.FromBase64String(src["data:image/jpeg;base64,".Length..]));
            Assert.Contains(reported[i].TrueClass, figures[i].Value, StringComparison.Ordinal);
            Assert.Contains(reported[i].PredictedClass, figures[i].Value, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NothingIsFetchedFromElsewhere()
    {
        foreach (string forbidden in (string[])["http:", "https:", "<script", "<link", "@import", "<iframe", "<object"])
            Assert.DoesNotContain(forbidden, fixture.Html, StringComparison.OrdinalIgnoreCase);
        Assert.All(fixture.Document.Descendants("img"), img => Assert.StartsWith("data:", (string)img.Attribute("src")!, StringComparison.Ordinal));
        Assert.StartsWith("<!DOCTYPE html>", fixture.Html, StringComparison.Ordinal);
        Assert.Equal("html", fixture.Document.Root!.Name.LocalName);
    }

    [Fact]
    public void ClassAndFileNamesAreEscaped()
    {
        Assert.DoesNotContain("<circle>", fixture.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x>", fixture.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("star's </td>", fixture.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;circle&gt;", fixture.Html, StringComparison.Ordinal);
        Assert.Contains("square &amp; co", fixture.Html, StringComparison.Ordinal);
        // Parsed back, the names are intact wherever they appear (table cells, attribute values).
        Assert.Contains(fixture.Document.Descendants("td"), td => td.Value == "\"triangle\"");
        Assert.Contains(fixture.Document.Descendants().Attributes("title"), a => a.Value.Contains("<img src=x> & \"", StringComparison.Ordinal));
    }

    [Fact]
    public void SettingsNameTheRun()
    {
        var s = fixture.Result.Settings!;
        Assert.Equal("baseline_cnn [6, 12, 16]", s.Architecture);
        Assert.Equal(fixture.WeightsFile(), s.WeightsSource);
        Assert.Equal(2, s.FrozenUnits);
        Assert.Equal(fixture.Trainer.TrainableParameterCount, s.TrainableParameters);
        Assert.Equal(fixture.Trainer.FrozenParameterCount, s.FrozenParameters);
        Assert.Equal(fixture.Trainer.CacheDecision, s.CacheDecision);
        Assert.Equal((TrainedReport.Epochs, TrainedReport.BatchSize, 5), (s.Epochs, s.BatchSize, s.Seed));
        Assert.Equal((fixture.Train.Count, (int?)fixture.Validation.Count), (s.TrainingImages, s.ValidationImages));
        var rows = fixture.Document.Descendants("table").Single(t => (string?)t.Attribute("class") == "settings").Elements("tr")
            .ToDictionary(r => r.Element("th")!.Value, r => r.Element("td")!.Value);
        Assert.Equal("baseline_cnn [6, 12, 16]", rows["architecture"]);
        Assert.StartsWith("2 of ", rows["freeze"], StringComparison.Ordinal);
        Assert.Equal("Adam (weight decay 0)", rows["optimizer"]);
        Assert.Equal("constant", rows["schedule"]);
        Assert.Equal("none", rows["augmentation"]);
        Assert.Equal("off", rows["early stopping"]);
        Assert.Equal("5", rows["seed"]);
        Assert.Equal("8", rows["batch size"]);
        Assert.StartsWith("in-memory cache", rows["activation cache"], StringComparison.Ordinal);
        Assert.Contains(s.LibraryVersion, rows["library version"], StringComparison.Ordinal);
        foreach (string key in (string[])["weights", "parameters", "head", "learning rate", "epochs", "images", "bad images skipped", "threads", "started", "total time"])
            Assert.True(rows.ContainsKey(key), key);
    }

    private static double MeanAbsoluteDifference(DecodedImage a, DecodedImage b)
    {
        if (a.Width != b.Width || a.Height != b.Height) return double.MaxValue;
        long sum = 0;
        for (int i = 0; i < a.Pixels.Length; i++) sum += Math.Abs(a.Pixels[i] - b.Pixels[i]);
        return (double)sum / a.Pixels.Length;
    }
}

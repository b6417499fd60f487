using System.Globalization;
using TransferKit.Training.Callbacks;

namespace TransferKit.Reporting;

internal sealed partial class HtmlReportWriter
{
    /// <summary>Largest confusion matrix drawn whole; beyond it cells get too small to read.</summary>
    internal const int MaxConfusionClasses = 30;

    private void WriteConfusionMatrix()
    {
        _w.Open("section", ("id", "confusion"));
        _w.Element("h2", "Confusion matrix");
        if (Validation is not { } v)
        {
            Note("No validation set, so there is no confusion matrix.");
            _w.Close();
            return;
        }
        var shown = ConfusionClasses(v.ConfusionMatrix, MaxConfusionClasses);
        if (shown.Count < v.ClassNames.Count)
        {
            Note(F($"{v.ClassNames.Count} classes are too many to draw readably: showing the {shown.Count} classes with the most errors (misclassified samples of the class plus samples wrongly predicted as it). Every count is in the per-class table below and in ValidationReport.ConfusionMatrix."));
        }
        _w.Element("p", F($"Final model on {Count(v.SampleCount)} validation images. Rows are the true class, columns the predicted class; a cell's colour is its share of the row, its number the count."));
        SvgHeatMap.WriteTo(_w, v.ClassNames, v.ConfusionMatrix, shown);
        _w.Close();
    }

    /// <summary>
    /// Every class when there are at most <paramref name="limit"/>; otherwise the <paramref name="limit"/> classes
    /// involved in the most errors (row plus column, off the diagonal), ties to the larger class and then the lower
    /// index, drawn in class order.
    /// </summary>
    internal static IReadOnlyList<int> ConfusionClasses(IReadOnlyList<IReadOnlyList<long>> matrix, int limit)
    {
        int classes = matrix.Count;
        if (classes <= limit) return Enumerable.Range(0, classes).ToArray();
        var errors = new long[classes];
        var support = new long[classes];
        for (int t = 0; t < classes; t++)
        {
            for (int p = 0; p < classes; p++)
            {
                long n = matrix[t][p];
                support[t] += n;
                if (t == p) continue;
                errors[t] += n;
                errors[p] += n;
            }
        }
        return Enumerable.Range(0, classes)
            .OrderByDescending(c => errors[c]).ThenByDescending(c => support[c]).ThenBy(c => c)
            .Take(limit).Order().ToArray();
    }

    private void WriteClassMetrics()
    {
        _w.Open("section", ("id", "classes"));
        _w.Element("h2", "Per-class metrics");
        if (Validation is not { } v)
        {
            Note("No validation set, so there are no per-class metrics.");
            _w.Close();
            return;
        }
        bool auc = v.Classes.Any(c => c.RocAuc is not null);
        _w.Open("table", ("class", "metrics"));
        _w.Open("tr");
        foreach (string h in (string[])["class", "precision", "recall", "F1", "support", "predicted"]) _w.Element("th", h);
        if (auc) _w.Element("th", "ROC AUC (one vs rest)");
        _w.Close();
        foreach (var c in v.Classes)
        {
            _w.Open("tr", ("class", "class-row"));
            _w.Element("td", c.Name);
            _w.Element("td", Fixed(c.Precision, 4));
            _w.Element("td", Fixed(c.Recall, 4));
            _w.Element("td", Fixed(c.F1, 4));
            _w.Element("td", Count(c.Support));
            _w.Element("td", Count(c.Predicted));
            if (auc) _w.Element("td", c.RocAuc is double a ? Fixed(a, 4) : "–");
            _w.Close();
        }
        TotalRow("macro average", v.MacroPrecision, v.MacroRecall, v.MacroF1, v.SampleCount, auc);
        TotalRow("weighted average", v.WeightedPrecision, v.WeightedRecall, v.WeightedF1, v.SampleCount, auc);
        _w.Close();

        _w.Open("table", ("class", "overall"));
        Row("accuracy", Percent(v.Accuracy));
        foreach (var top in v.TopK.Where(t => t.K > 1)) Row(F($"top-{top.K} accuracy"), Percent(top.Accuracy));
        Row("macro-F1", Fixed(v.MacroF1, 4));
        Row("log-loss (nats)", Fixed(v.LogLoss, 4));
        Row(v.ClassNames.Count == 2 ? F($"ROC AUC ({v.ClassNames[1]} as positive)") : "ROC AUC (macro, one vs rest)", v.RocAuc is double r ? Fixed(r, 4) : "not available");
        Row("samples", Count(v.SampleCount));
        _w.Close();
        if (v.RocCurve is { } roc)
        {
            var points = roc.FalsePositiveRates.Zip(roc.TruePositiveRates, (x, y) => (x, y)).ToList();
            var chart = new SvgLineChart("roc", "false positive rate", "true positive rate") { XRange = (0, 1), YRange = (0, 1) }
                .Add(new LineSeries("roc", F($"ROC of {v.ClassNames[1]} (AUC {Fixed(v.RocAuc ?? double.NaN, 4)})"), TrainColor, points, Markers: false))
                .Add(new LineSeries("chance", "chance", "#999999", [(0, 0), (1, 1)], Markers: false, Dashed: true));
            _w.Open("figure");
            _w.Element("h3", "ROC curve");
            chart.WriteTo(_w, "ROC curve of the final model on the validation set");
            _w.Close();
        }
        _w.Close();
    }

    private void TotalRow(string name, double precision, double recall, double f1, long support, bool auc)
    {
        _w.Open("tr", ("class", "total"));
        _w.Element("td", name);
        _w.Element("td", Fixed(precision, 4));
        _w.Element("td", Fixed(recall, 4));
        _w.Element("td", Fixed(f1, 4));
        _w.Element("td", Count(support));
        _w.Element("td", "");
        if (auc) _w.Element("td", "");
        _w.Close();
    }

    private void Row(string name, string value)
    {
        _w.Open("tr");
        _w.Element("td", name);
        _w.Element("td", value);
        _w.Close();
    }

    private void WriteConfidentlyWrong()
    {
        _w.Open("section", ("id", "wrong"));
        _w.Element("h2", "Most confidently wrong validation images");
        var wrong = Final.Result.ConfidentlyWrong;
        if (Validation is null)
        {
            Note("No validation set, so there are no misclassified images to show.");
        }
        else if (wrong.Count == 0)
        {
            Note(Validation.Accuracy >= 1 ? "Every validation image was classified correctly." : "The misclassified images were not recorded for this result.");
        }
        else
        {
            _w.Element("p", F($"The {wrong.Count} validation images the final model got wrong with the highest confidence, most confident first."));
            _w.Open("div", ("class", "wrong"));
            foreach (var m in wrong) WriteMisclassified(m);
            _w.Close();
        }
        _w.Close();
    }

    private void WriteMisclassified(MisclassifiedImage m)
    {
        string alt = $"true {m.TrueClass}, predicted {m.PredictedClass}";
        _w.Open("figure", ("data-index", m.Index.ToString(CultureInfo.InvariantCulture)));
        if (m.Thumbnail.IsEmpty) _w.Element("span", "no picture", ("class", "missing"));
        else _w.Empty("img", ("class", "thumb"), ("src", "data:image/jpeg;base64," + Convert.ToBase64String(m.Thumbnail.Span)), ("alt", alt), ("title", m.SourceName));
        _w.Open("figcaption");
        _w.Open("div", ("class", "true")).Text("true: ").Element("b", m.TrueClass).Close();
        _w.Open("div", ("class", "predicted")).Text("predicted: ").Element("b", m.PredictedClass).Text(F($" ({m.Confidence:0.0%})")).Close();
        _w.Element("div", SourcePaths.Relative(m.SourceName, FinalSettings?.DataRoot), ("class", "source"), ("title", m.SourceName));
        _w.Close().Close();
    }

    /// <summary>Most skipped images listed; the count says how many more there are.</summary>
    private const int ListedBadImages = 200;

    /// <summary>The unreadable images the fit skipped, each with its failure and reason (only when there were any).</summary>
    private void WriteBadImages()
    {
        if (FinalSettings is not { BadImagesSkipped: > 0 } s) return;
        _w.Open("section", ("id", "bad-images"));
        _w.Element("h2", "Skipped images");
        _w.Element("p", F($"{Count(s.BadImagesSkipped)} images could not be read and were left out of training."));
        if (s.BadImages.Count == 0) Note("Which images they were was not recorded for this result.");
        else
        {
            _w.Open("table", ("class", "bad-images"));
            _w.Open("tr").Element("th", "file").Element("th", "failure").Element("th", "reason").Close();
            foreach (var bad in s.BadImages.Take(ListedBadImages))
            {
                _w.Open("tr");
                _w.Element("td", SourcePaths.Relative(bad.SourceName, s.DataRoot), ("title", bad.SourceName));
                _w.Element("td", bad.Failure.ToString());
                _w.Element("td", bad.Reason);
                _w.Close();
            }
            _w.Close();
            if (s.BadImages.Count > ListedBadImages) Note(F($"… and {s.BadImages.Count - ListedBadImages} more."));
        }
        _w.Close();
    }
}

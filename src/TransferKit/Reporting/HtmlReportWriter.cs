using System.Globalization;
using TransferKit.Evaluation;
using TransferKit.Training.Callbacks;

namespace TransferKit.Reporting;

/// <summary>
/// Renders one or more fits (the phases of fine-tuning) as a single self-contained HTML page: inline CSS, inline SVG
/// charts and JPEG thumbnails as data URIs, with no script and nothing to fetch, so the file works offline and can be
/// mailed or archived as it is. Curves run over the phases in order; the evaluation sections show the last phase's
/// final model. Every string from data is escaped by <see cref="MarkupWriter"/>.
/// </summary>
internal sealed partial class HtmlReportWriter
{
    private const string Css =
        "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;margin:0;background:#f4f5f7;color:#1d1f23}" +
        "main{max-width:1200px;margin:0 auto;padding:24px}" +
        "h1{font-size:26px;margin:0 0 4px}h2{font-size:18px;margin:0 0 12px}h3{font-size:14px;margin:0 0 6px;color:#333}" +
        ".subtitle{color:#555;margin:0 0 18px}" +
        "section{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:16px 20px;margin:0 0 18px;overflow-x:auto}" +
        ".cards{display:flex;flex-wrap:wrap;gap:12px}" +
        ".card{border:1px solid #dde1e6;border-radius:6px;padding:8px 14px;min-width:110px}" +
        ".card .value{font-size:22px;font-weight:600}.card .label{font-size:12px;color:#555}" +
        ".charts{display:flex;flex-wrap:wrap;gap:18px}.charts figure{margin:0;max-width:100%;overflow-x:auto}" +
        "svg{max-width:100%;height:auto}" +
        // A table wider than a phone scrolls on its own instead of being cut off by its section.
        "table{border-collapse:collapse;font-size:13px;display:block;max-width:100%;overflow-x:auto}" +
        "th,td{border-bottom:1px solid #e6e8eb;padding:4px 10px;text-align:right;vertical-align:top}" +
        "th{background:#f7f8fa}th:first-child,td:first-child{text-align:left}" +
        "table.settings td,table.settings th,table.bad-images td,table.bad-images th{text-align:left}" +
        "tr.total td{font-weight:600}" +
        ".note{color:#5c4a00;background:#fff8db;border:1px solid #efe0a0;border-radius:4px;padding:6px 10px;font-size:13px;margin:0 0 10px}" +
        ".wrong{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px}" +
        ".wrong figure{margin:0;border:1px solid #e2e4e8;border-radius:6px;padding:8px;text-align:center;font-size:12px}" +
        ".thumb{width:96px;height:96px;object-fit:contain;image-rendering:pixelated;background:#eceef1}" +
        ".missing{display:inline-block;width:96px;height:96px;line-height:96px;background:#eceef1;color:#777}" +
        ".true{color:#1a7f37}.predicted{color:#c0392b}.source{color:#666;overflow-wrap:anywhere}" +
        "footer{color:#777;font-size:12px;text-align:center;padding:8px}" +
        "@media (max-width:600px){main{padding:8px}section{padding:10px}h1{font-size:21px}}";

    private readonly MarkupWriter _w = new();
    private readonly IReadOnlyList<ReportPhase> _phases;

    private LearningRateSweep? _sweep;

    private HtmlReportWriter(IReadOnlyList<ReportPhase> phases) => _phases = phases;

    /// <summary>The page for <paramref name="phases"/> (at least one, in training order), with the learning-rate finder's
    /// sweep before the curves when one ran.</summary>
    /// <exception cref="ArgumentException"><paramref name="phases"/> is empty.</exception>
    public static string Render(IReadOnlyList<ReportPhase> phases, LearningRateSweep? sweep = null)
    {
        ArgumentNullException.ThrowIfNull(phases);
        if (phases.Count == 0) throw new ArgumentException("A report needs at least one fit.", nameof(phases));
        return new HtmlReportWriter(phases) { _sweep = sweep }.Write();
    }

    private ReportPhase Final => _phases[^1];

    private ClassificationReport? Validation => Final.Result.ValidationReport;

    private RunSettings? FinalSettings => Final.Result.Settings;

    private bool MultiPhase => _phases.Count > 1;

    private string Write()
    {
        string title = MultiPhase ? "Fine-tuning report" : "Training report";
        WriteHead(FinalSettings is { } s ? $"{title}: {s.Architecture}" : title);
        _w.Open("body").Open("main");
        _w.Element("h1", title);
        _w.Element("p", Subtitle(), ("class", "subtitle"));
        WriteSummary();
        WriteLearningRateFinder();
        WriteCurves();
        WriteConfusionMatrix();
        WriteClassMetrics();
        WriteConfidentlyWrong();
        WriteBadImages();
        WriteSettings();
        WriteEpochTable();
        return Finish(FinalSettings?.LibraryVersion);
    }

    private void WriteHead(string title)
    {
        _w.Open("html", ("lang", "en"));
        _w.Open("head");
        _w.Empty("meta", ("charset", "utf-8"));
        _w.Empty("meta", ("name", "viewport"), ("content", "width=device-width, initial-scale=1"));
        _w.Element("title", title);
        _w.Open("style").Raw(Css).Close();
        _w.Close();
    }

    /// <summary>Closes main, writes the footer and closes the page; returns the document.</summary>
    private string Finish(string? libraryVersion)
    {
        _w.Close();
        _w.Element("footer", $"Made by TransferKit {libraryVersion ?? LibraryVersion.Current}. Self-contained: nothing in this page is fetched from a network.");
        _w.Close().Close();
        return "<!DOCTYPE html>\n" + _w;
    }

    private string Subtitle()
    {
        var parts = new List<string>();
        if (FinalSettings is { } s)
        {
            parts.Add(s.Architecture);
            parts.Add(F($"{s.ClassNames.Count} classes"));
            parts.Add(s.StartedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture));
        }
        parts.Add(F($"{_phases.Sum(p => p.Result.Epochs.Count)} epochs in {Duration(TotalTime)}"));
        return string.Join(" · ", parts);
    }

    private TimeSpan TotalTime => TimeSpan.FromTicks(_phases.Sum(p => p.Result.TotalTime.Ticks));

    private void WriteSummary()
    {
        _w.Open("section", ("id", "summary"));
        _w.Element("h2", "Summary");
        _w.Open("div", ("class", "cards"));
        if (Validation is { } v)
        {
            Card("validation accuracy", Percent(v.Accuracy));
            Card("macro-F1", Fixed(v.MacroF1, 4));
            Card("log-loss", Fixed(v.LogLoss, 4));
            if (v.RocAuc is double auc) Card("ROC AUC", Fixed(auc, 4));
            foreach (var top in v.TopK.Where(t => t.K > 1)) Card(F($"top-{top.K} accuracy"), Percent(top.Accuracy));
        }
        else if (Final.Result.Last is { } last)
        {
            Card("final training accuracy", Percent(last.TrainAccuracy));
            Card("final training loss", Fixed(last.TrainLoss, 4));
        }
        Card("epochs", F($"{_phases.Sum(p => p.Result.Epochs.Count)}"));
        if (Final.Result.BestEpoch is int best) Card("best epoch", F($"{EpochOffset(_phases.Count - 1) + best}"));
        if (_phases.Any(p => p.Result.StoppedEarly)) Card("stopped early", "yes");
        Card("total time", Duration(TotalTime));
        _w.Close();
        if (Validation is null) Note("No validation set was used, so this report has no validation curves, confusion matrix, per-class metrics or misclassified images. Pass a validation set to FitAsync, or set TrainingOptions.ValidationFraction.");
        _w.Close();
    }

    private void Card(string label, string value)
    {
        _w.Open("div", ("class", "card"));
        _w.Element("div", value, ("class", "value"));
        _w.Element("div", label, ("class", "label"));
        _w.Close();
    }

    private void Note(string text) => _w.Element("p", text, ("class", "note"));

    /// <summary>Epochs finished by the phases before <paramref name="phase"/>, which shifts its points on the shared x axis.</summary>
    private int EpochOffset(int phase) => _phases.Take(phase).Sum(p => p.Result.Epochs.Count);

    private static string Percent(double value) => double.IsFinite(value) ? value.ToString("0.0#%", CultureInfo.InvariantCulture) : "n/a";

    private static string Fixed(double value, int decimals) =>
        double.IsFinite(value) ? value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "n/a";

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 ? F($"{(int)t.TotalHours} h {t.Minutes} min")
        : t.TotalMinutes >= 1 ? F($"{t.Minutes} min {t.Seconds} s")
        : F($"{t.TotalSeconds:0.0} s");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

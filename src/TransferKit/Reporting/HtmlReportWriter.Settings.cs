using System.Globalization;
using TransferKit.Training.Callbacks;

namespace TransferKit.Reporting;

internal sealed partial class HtmlReportWriter
{
    /// <summary>Longest class list written out in the settings; the per-class table has them all.</summary>
    private const int ListedClasses = 30;

    /// <summary>One row per setting, one value column per phase.</summary>
    private void WriteSettings()
    {
        _w.Open("section", ("id", "settings"));
        _w.Element("h2", "Run settings");
        if (_phases.All(p => p.Result.Settings is null))
        {
            Note("The run's settings were not recorded for this result.");
        }
        _w.Open("table", ("class", "settings"));
        if (MultiPhase)
        {
            _w.Open("tr");
            _w.Element("th", "setting");
            for (int p = 0; p < _phases.Count; p++) _w.Element("th", _phases[p].Name ?? F($"phase {p + 1}"));
            _w.Close();
        }
        foreach (var (label, value) in Rows())
        {
            var values = _phases.Select(p => p.Result.Settings is { } s ? value(s, p.Result) : "not recorded").ToArray();
            if (values.All(v => v.Length == 0)) continue;
            _w.Open("tr");
            _w.Element("th", label);
            foreach (string v in values) _w.Element("td", v);
            _w.Close();
        }
        _w.Open("tr");
        _w.Element("th", "total time");
        foreach (var p in _phases) _w.Element("td", Duration(p.Result.TotalTime));
        _w.Close();
        _w.Close();
        _w.Close();
    }

    private static IEnumerable<(string Label, Func<RunSettings, TrainingResult, string> Value)> Rows()
    {
        yield return ("architecture", (s, _) => s.Architecture);
        yield return ("weights", (s, _) => s.WeightsSource);
        yield return ("input size", (s, _) => F($"{s.InputSize} x {s.InputSize}"));
        yield return ("classes", (s, _) => Classes(s.ClassNames));
        yield return ("freeze", (s, _) => Freeze(s));
        yield return ("parameters", (s, _) => F($"{Count(s.TrainableParameters)} trainable, {Count(s.FrozenParameters)} frozen"));
        yield return ("head", (s, _) => s.Head);
        yield return ("optimizer", (s, _) => s.Optimizer);
        yield return ("learning rate", (s, _) => s.LearningRate.ToString("G6", CultureInfo.InvariantCulture)
            + (s.BackboneLearningRateMultiplier < 1 ? F($" (first trainable backbone unit x{s.BackboneLearningRateMultiplier:G4}, rising to x1 at the head)") : ""));
        yield return ("schedule", (s, _) => s.Schedule);
        yield return ("epochs", (s, r) => F($"{r.Epochs.Count} of {s.Epochs} planned{(r.StoppedEarly ? ", stopped early" : "")}"));
        yield return ("batch size", (s, _) => F($"{s.BatchSize}"));
        yield return ("seed", (s, _) => F($"{s.Seed}"));
        yield return ("augmentation", (s, _) => s.Augmentation);
        yield return ("activation cache", (s, _) => s.CacheDecision);
        yield return ("frozen units' precision", (s, _) => s.FrozenPrecision);
        yield return ("early stopping", (s, r) => s.EarlyStopping + (r.BestEpoch is int b ? F($"; best epoch {b}") : ""));
        yield return ("images", (s, _) => F($"{Count(s.TrainingImages)} training") + (s.ValidationImages is int v ? F($", {Count(v)} validation") : ", no validation set"));
        yield return ("bad images skipped", (s, _) => Count(s.BadImagesSkipped));
        yield return ("threads", (s, _) => F($"{s.Threads}"));
        yield return ("library version", (s, _) => "TransferKit " + s.LibraryVersion);
        yield return ("started", (s, _) => s.StartedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture));
    }

    private static string Freeze(RunSettings s)
    {
        if (s.FrozenUnits == 0) return F($"nothing frozen ({s.Units.Count} units)");
        string units = s.FrozenUnits <= 6
            ? string.Join(", ", s.Units.Take(s.FrozenUnits))
            : F($"{s.Units[0]} … {s.Units[s.FrozenUnits - 1]}");
        return F($"{s.FrozenUnits} of {s.Units.Count} units frozen ({units})") + (s.TrainFrozenBatchNorm ? "; their BatchNorm trains" : "");
    }

    private static string Classes(IReadOnlyList<string> names) =>
        F($"{names.Count}: ") + string.Join(", ", names.Take(ListedClasses)) + (names.Count > ListedClasses ? F($", … and {names.Count - ListedClasses} more") : "");
}

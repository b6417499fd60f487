using TransferKit.Reporting;
using TransferKit.Training.Callbacks;
using TransferKit.Training.Freezing;

namespace TransferKit.Api;

/// <summary>The two phases of <see cref="ImageClassifierTrainer.FineTuneAsync"/> (or of a fine-tune continued by <see cref="ImageClassifierTrainer.ResumeFineTuneAsync"/>).</summary>
/// <param name="Frozen">Phase 1: the head trained with the whole backbone frozen.</param>
/// <param name="Unfrozen">Phase 2: the head and the unfrozen units trained at the lower learning rate.</param>
/// <param name="UnfrozenPlan">The freeze in force during phase 2 (and after).</param>
/// <param name="UnfrozenLearningRate">Phase 2's base learning rate.</param>
public sealed record FineTuneResult(TrainingResult Frozen, TrainingResult Unfrozen, FreezePlan UnfrozenPlan, double UnfrozenLearningRate)
{
    /// <summary>Every epoch of both phases, phase 1 first.</summary>
    public IReadOnlyList<EpochResult> Epochs => [.. Frozen.Epochs, .. Unfrozen.Epochs];

    /// <summary>
    /// Renders both phases as one self-contained HTML page (see <see cref="TrainingReports.ToHtml(TrainingResult)"/>): the curves run
    /// through phase 1 and phase 2 with the unfreezing marked, the settings table has a column per phase, and the
    /// confusion matrix, per-class metrics and misclassified images are those of the final (phase 2) model.
    /// </summary>
    /// <returns>The page as a string.</returns>
    public string ToHtml() => HtmlReportWriter.Render([new ReportPhase("phase 1: frozen backbone", Frozen), new ReportPhase("phase 2: unfrozen", Unfrozen)]);

    /// <summary>Writes <see cref="ToHtml"/> to <paramref name="path"/> (UTF-8) atomically: a temporary file in the same folder, then a rename.</summary>
    /// <param name="path">The report file, conventionally <c>*.html</c>; an existing file is replaced.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names no file.</exception>
    /// <exception cref="ReportException">The file could not be written (the folder is missing, access is denied, the path is a folder); nothing is left behind.</exception>
    public void SaveReport(string path) => AtomicTextFile.Write(path, ToHtml());

    /// <summary>
    /// Both phases in a few readable lines (culture-invariant), phase 2's epochs numbered after phase 1's as in the logs
    /// and the report; see <see cref="TrainingResult.ToString"/>.
    /// </summary>
    public override string ToString()
    {
        int offset = Frozen.Epochs.Count;
        var unfrozen = Unfrozen with
        {
            Epochs = [.. Unfrozen.Epochs.Select(e => e with { Epoch = e.Epoch + offset })],
            BestEpoch = Unfrozen.BestEpoch + offset,
        };
        return "phase 1, backbone frozen: " + Frozen + Environment.NewLine
            + FormattableString.Invariant($"phase 2, {UnfrozenPlan.FrozenUnits} units frozen, lr {UnfrozenLearningRate:G4}: ") + unfrozen;
    }
}

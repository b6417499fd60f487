using TransferKit.Evaluation;

namespace TransferKit.Training.Callbacks;

/// <summary>
/// The history of a fit, passed to <see cref="ITrainingCallback.OnTrainEnd"/>. <c>TransferKit.Api.TrainingReports</c> renders it
/// as an HTML report (<c>result.SaveReport("report.html")</c>).
/// </summary>
/// <param name="Epochs">Each finished epoch in order.</param>
/// <param name="BestEpoch">
/// The epoch (counted from 1, as <see cref="EpochResult.Epoch"/>) the early-stopping metric liked best (whose weights were kept when restoring), or null when no metric was
/// watched.
/// </param>
/// <param name="StoppedEarly">Whether early stopping ended training before the planned epochs.</param>
/// <param name="TotalTime">Wall time of the whole fit.</param>
public sealed record TrainingResult(IReadOnlyList<EpochResult> Epochs, int? BestEpoch, bool StoppedEarly, TimeSpan TotalTime)
{
    /// <summary>The result of <see cref="BestEpoch"/>, or null when it is null or not in <see cref="Epochs"/>.</summary>
    public EpochResult? Best => BestEpoch is { } best ? Epochs.FirstOrDefault(e => e.Epoch == best) : null;

    /// <summary>The last finished epoch, or null when none finished.</summary>
    public EpochResult? Last => Epochs.Count > 0 ? Epochs[^1] : null;

    /// <summary>The evaluation of the final model on the validation set, or null without one.</summary>
    public ClassificationReport? ValidationReport { get; init; }

    /// <summary>
    /// The base learning rate of every optimizer step this run took, in order (a resumed run lists only the steps after
    /// the checkpoint). Empty when not recorded.
    /// </summary>
    public IReadOnlyList<LearningRateStep> LearningRates { get; init; } = [];

    /// <summary>
    /// The validation images the final model got wrong with the highest confidence, most confident first (up to 16;
    /// ties by index), with thumbnails. Empty without a validation set or when every image was right.
    /// </summary>
    public IReadOnlyList<MisclassifiedImage> ConfidentlyWrong { get; init; } = [];

    /// <summary>
    /// What the run found that will make it learn poorly (random frozen weights, near-zero features), in the order found;
    /// empty when nothing was. Each was also passed to <see cref="ITrainingCallback.OnWarning"/> as it was found.
    /// </summary>
    public IReadOnlyList<TrainingWarning> Warnings { get; init; } = [];

    /// <summary>How the run was configured and what it decided, or null when not recorded.</summary>
    public RunSettings? Settings { get; init; }

    /// <summary>
    /// A few readable lines (culture-invariant): the <see cref="Headline"/>, the best and the last epoch's log lines, the
    /// validation accuracy, and each warning; the full history is in <see cref="Epochs"/> and the HTML report.
    /// </summary>
    public override string ToString()
    {
        var text = new System.Text.StringBuilder(Headline());
        if (Best is { } best && !ReferenceEquals(best, Last)) text.AppendLine().Append("  best: ").Append(best);
        if (Last is { } last) text.AppendLine().Append("  last: ").Append(last);
        if (ValidationReport is { } report)
            text.AppendLine().Append(FormattableString.Invariant($"  validation: accuracy {report.Accuracy:0.0%} on {report.SampleCount} images"));
        foreach (var warning in Warnings) text.AppendLine().Append("  ").Append(warning);
        return text.ToString();
    }

    /// <summary>One line: <c>10 epochs in 123.4 s, best epoch 7, stopped early</c>.</summary>
    public string Headline()
    {
        string best = BestEpoch is int b ? FormattableString.Invariant($", best epoch {b}") : "";
        string early = StoppedEarly ? ", stopped early" : "";
        return FormattableString.Invariant($"{Epochs.Count} epochs in {TotalTime.TotalSeconds:F1} s{best}{early}");
    }
}

using TransferKit.Evaluation;
using TransferKit.Reporting;

namespace TransferKit.Training.Callbacks;

/// <summary>The history of a fit, passed to <see cref="ITrainingCallback.OnTrainEnd"/>.</summary>
/// <param name="Epochs">Each finished epoch in order.</param>
/// <param name="BestEpoch">
/// The epoch the early-stopping metric liked best (whose weights were kept when restoring), or null when no metric was
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

    /// <summary>How the run was configured and what it decided, or null when not recorded.</summary>
    public RunSettings? Settings { get; init; }

    /// <summary>
    /// Renders this result as one self-contained HTML page (inline CSS and SVG, thumbnails as data URIs; nothing is
    /// fetched when it is opened): loss, accuracy and learning-rate curves, the confusion matrix, per-class metrics,
    /// the most confidently wrong validation images and the run's settings. Sections that need data the result lacks
    /// (no validation set, settings not recorded) say so. The markup is also well-formed XML.
    /// </summary>
    /// <returns>The page as a string.</returns>
    public string ToHtml() => HtmlReportWriter.Render([new ReportPhase(null, this)]);

    /// <summary>Writes <see cref="ToHtml"/> to <paramref name="path"/> (UTF-8) atomically: a temporary file in the same folder, then a rename.</summary>
    /// <param name="path">The report file, conventionally <c>*.html</c>; an existing file is replaced.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names no file.</exception>
    /// <exception cref="ReportException">The file could not be written (the folder is missing, access is denied, the path is a folder); nothing is left behind.</exception>
    public void SaveReport(string path) => AtomicTextFile.Write(path, ToHtml());
}

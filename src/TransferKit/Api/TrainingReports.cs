using TransferKit.Reporting;
using TransferKit.Training.Callbacks;

namespace TransferKit.Api;

/// <summary>
/// The HTML training report of a <see cref="TrainingResult"/>. These are extension methods in the API layer because the
/// result is recorded by the training layer, below the report renderer.
/// </summary>
public static class TrainingReports
{
    /// <summary>
    /// Renders this result as one self-contained HTML page (inline CSS and SVG, thumbnails as data URIs; nothing is
    /// fetched when it is opened): loss, accuracy and learning-rate curves, the confusion matrix, per-class metrics,
    /// the most confidently wrong validation images and the run's settings. Sections that need data the result lacks
    /// (no validation set, settings not recorded) say so. The markup is also well-formed XML.
    /// </summary>
    /// <param name="result">The fit to report.</param>
    /// <returns>The page as a string.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
    public static string ToHtml(this TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return HtmlReportWriter.Render([new ReportPhase(null, result)]);
    }

    /// <summary>
    /// Renders this result as <see cref="ToHtml(TrainingResult)"/> does, with a section for the learning-rate finder
    /// that chose its rate: the loss against the rate and each rule's suggestion.
    /// </summary>
    /// <param name="result">The fit to report.</param>
    /// <param name="learningRateFinder">The sweep run before the fit, or null for none.</param>
    /// <returns>The page as a string.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
    public static string ToHtml(this TrainingResult result, LearningRateFinderResult? learningRateFinder)
    {
        ArgumentNullException.ThrowIfNull(result);
        return HtmlReportWriter.Render([new ReportPhase(null, result)], learningRateFinder?.ToSweep());
    }

    /// <summary>Writes <see cref="ToHtml(TrainingResult, LearningRateFinderResult?)"/> to <paramref name="path"/> atomically, as <see cref="SaveReport(TrainingResult, string)"/> does.</summary>
    /// <param name="result">The fit to report.</param>
    /// <param name="path">The report file; an existing file is replaced.</param>
    /// <param name="learningRateFinder">The sweep run before the fit, or null for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names no file.</exception>
    /// <exception cref="ReportException">The file could not be written; nothing is left behind.</exception>
    public static void SaveReport(this TrainingResult result, string path, LearningRateFinderResult? learningRateFinder) =>
        AtomicTextFile.Write(path, result.ToHtml(learningRateFinder));

    /// <summary>Writes <see cref="ToHtml(TrainingResult)"/> to <paramref name="path"/> (UTF-8) atomically: a temporary file in the same folder, then a rename.</summary>
    /// <param name="result">The fit to report.</param>
    /// <param name="path">The report file, conventionally <c>*.html</c>; an existing file is replaced.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names no file.</exception>
    /// <exception cref="ReportException">The file could not be written (the folder is missing, access is denied, the path is a folder); nothing is left behind.</exception>
    public static void SaveReport(this TrainingResult result, string path) => AtomicTextFile.Write(path, result.ToHtml());
}

using TransferKit.Reporting;

namespace TransferKit.Api;

/// <summary>One batch of the learning-rate sweep.</summary>
/// <param name="LearningRate">The base rate of the batch.</param>
/// <param name="Loss">The batch's loss.</param>
/// <param name="SmoothedLoss">The bias-corrected exponential moving average of the loss up to this batch.</param>
public readonly record struct LearningRatePoint(double LearningRate, double Loss, double SmoothedLoss);

/// <summary>The outcome of <see cref="ImageClassifierTrainer.FindLearningRateAsync"/>; the network's weights are as before the sweep.</summary>
/// <param name="Curve">Every batch of the sweep in order (the last may be the one that diverged).</param>
/// <param name="Diverged">Whether the sweep stopped early because the loss exceeded the divergence factor times its best (or became non-finite).</param>
/// <param name="Rule">The rule <see cref="Suggestion"/> follows.</param>
/// <param name="FirstUsed">Index of the first point of <paramref name="Curve"/> the rules read (the warm-up before it is left out).</param>
/// <param name="EndUsed">One past the last point the rules read (the divergent tail from it on is left out).</param>
/// <param name="ValleyLearningRate">The rate of the <see cref="LearningRateSuggestionRule.Valley"/> rule (NaN when no point was usable).</param>
/// <param name="SteepestLearningRate">The rate of the <see cref="LearningRateSuggestionRule.Steepest"/> rule.</param>
/// <param name="MinimumLearningRate">The rate of the <see cref="LearningRateSuggestionRule.Minimum"/> rule (the lowest loss's rate / 10).</param>
public sealed record LearningRateFinderResult(IReadOnlyList<LearningRatePoint> Curve, bool Diverged, LearningRateSuggestionRule Rule,
    int FirstUsed, int EndUsed, double ValleyLearningRate, double SteepestLearningRate, double MinimumLearningRate)
{
    /// <summary>The suggested base learning rate: the rate of <see cref="Rule"/>.</summary>
    public double Suggestion => SuggestionBy(Rule);

    /// <summary>The rate that <paramref name="rule"/> suggests on this sweep.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rule"/> is not a defined rule.</exception>
    public double SuggestionBy(LearningRateSuggestionRule rule) => rule switch
    {
        LearningRateSuggestionRule.Valley => ValleyLearningRate,
        LearningRateSuggestionRule.Steepest => SteepestLearningRate,
        LearningRateSuggestionRule.Minimum => MinimumLearningRate,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown suggestion rule."),
    };

    /// <summary>
    /// A self-contained HTML page (inline SVG, no script, nothing fetched) with the loss against the learning rate on a
    /// log axis, the raw and smoothed loss, the part the rules read, each rule's rate marked, and the suggestion.
    /// </summary>
    /// <returns>The page as a string.</returns>
    public string ToHtml() => HtmlReportWriter.RenderLearningRateFinder(ToSweep());

    /// <summary>Writes <see cref="ToHtml"/> to <paramref name="path"/> (UTF-8) atomically: a temporary file in the same folder, then a rename.</summary>
    /// <param name="path">The page, conventionally <c>*.html</c>; an existing file is replaced.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names no file.</exception>
    /// <exception cref="ReportException">The file could not be written; nothing is left behind.</exception>
    public void SaveReport(string path) => AtomicTextFile.Write(path, ToHtml());

    /// <summary>The curve in the reporting layer's terms.</summary>
    internal LearningRateSweep ToSweep() => new(
        Curve.Select(p => (p.LearningRate, p.Loss, p.SmoothedLoss)).ToList(), FirstUsed, EndUsed, Diverged,
        [.. Enum.GetValues<LearningRateSuggestionRule>().Select(r => (RuleName(r), SuggestionBy(r)))], RuleName(Rule));

    private static string RuleName(LearningRateSuggestionRule rule) => rule.ToString().ToLowerInvariant();
}

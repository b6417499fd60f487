namespace TransferKit.Evaluation;

/// <summary>
/// A receiver operating characteristic curve: for each distinct score threshold, from the highest down, the share of
/// negatives and of positives scoring at or above it. The first point is (0, 0) with threshold +infinity and the last
/// is (1, 1). Samples with equal scores enter together, so ties make one diagonal step (worth half credit in the area),
/// as in scikit-learn's <c>roc_curve</c>.
/// </summary>
/// <param name="FalsePositiveRates">x coordinates, non-decreasing from 0 to 1.</param>
/// <param name="TruePositiveRates">y coordinates, non-decreasing from 0 to 1.</param>
/// <param name="Thresholds">The score threshold of each point, decreasing; the first is +infinity.</param>
public sealed record RocCurve(
    IReadOnlyList<double> FalsePositiveRates, IReadOnlyList<double> TruePositiveRates, IReadOnlyList<double> Thresholds)
{
    /// <summary>Computes the curve of <paramref name="scores"/> (higher means more likely positive).</summary>
    /// <param name="scores">One score per sample; any finite or infinite value, not NaN.</param>
    /// <param name="isPositive">Whether each sample is positive; same length as <paramref name="scores"/>.</param>
    /// <param name="dropIntermediate">
    /// Leave out points on a straight segment between their neighbours (scikit-learn's <c>drop_intermediate</c>);
    /// the plotted curve and its area do not change.
    /// </param>
    /// <exception cref="ArgumentException">
    /// The lengths differ, a score is NaN (the message gives its index), or there is no positive or no negative sample.
    /// </exception>
    public static RocCurve Compute(ReadOnlySpan<float> scores, ReadOnlySpan<bool> isPositive, bool dropIntermediate = true)
    {
        var steps = RocAnalysis.Sweep(scores, isPositive);
        return RocAnalysis.ToCurve(steps, dropIntermediate);
    }

    /// <summary>
    /// The area under the ROC curve of <paramref name="scores"/>: the probability that a random positive scores above
    /// a random negative, counting ties as one half (scikit-learn's <c>roc_auc_score</c> for binary labels).
    /// </summary>
    /// <param name="scores">One score per sample; any finite or infinite value, not NaN.</param>
    /// <param name="isPositive">Whether each sample is positive; same length as <paramref name="scores"/>.</param>
    /// <exception cref="ArgumentException">
    /// The lengths differ, a score is NaN (the message gives its index), or there is no positive or no negative sample.
    /// </exception>
    public static double AreaUnderCurve(ReadOnlySpan<float> scores, ReadOnlySpan<bool> isPositive) =>
        RocAnalysis.Area(RocAnalysis.Sweep(scores, isPositive));
}

namespace TransferKit.Evaluation;

/// <summary>
/// One class's row of a <see cref="ClassificationReport"/>. A ratio whose denominator is zero is reported as 0
/// (scikit-learn's <c>zero_division=0</c>): precision of a class never predicted, recall of a class with no samples,
/// and F1 when both are 0.
/// </summary>
/// <param name="Name">The class name.</param>
/// <param name="Precision">True positives / samples predicted as this class.</param>
/// <param name="Recall">True positives / samples of this class.</param>
/// <param name="F1">Harmonic mean of precision and recall: 2 TP / (2 TP + FP + FN).</param>
/// <param name="Support">Samples whose true class is this one.</param>
/// <param name="Predicted">Samples predicted as this class.</param>
/// <param name="RocAuc">
/// One-vs-rest ROC AUC of this class's score, for tasks with more than two classes; null for binary tasks (see
/// <see cref="ClassificationReport.RocAuc"/>), when AUC was not computed, or when the class has no positive or no
/// negative sample.
/// </param>
public sealed record ClassMetrics(
    string Name, double Precision, double Recall, double F1, long Support, long Predicted, double? RocAuc);

namespace TransferKit.Evaluation;

/// <summary>
/// What a <see cref="ClassificationEvaluator"/> computes and how. The defaults follow scikit-learn's metrics
/// (see each property). Call <see cref="Validate"/> (the evaluator does) to reject impossible settings.
/// </summary>
public sealed record ClassificationEvaluatorOptions
{
    /// <summary>The options used when a caller passes none.</summary>
    public static ClassificationEvaluatorOptions Default { get; } = new();

    /// <summary>
    /// The k values of the top-k accuracies to report (default [5]). A sample counts when its true class is among the
    /// k highest scores; ties inside a row go to the lower class index, as arg-max does, so top-1 equals accuracy.
    /// A k at or above the class count gives 1 and is left out unless <see cref="OmitTrivialTopK"/> is false. Each k must be at least 1, with no repeats.
    /// </summary>
    public IReadOnlyList<int> TopK { get; init; } = [5];

    /// <summary>
    /// Whether k values of <see cref="TopK"/> at or above the class count are left out of the report (default true):
    /// they are 1 by definition, so a cats-vs-dogs report does not show a top-5 accuracy of 1. Set false to keep them.
    /// </summary>
    public bool OmitTrivialTopK { get; init; } = true;

    /// <summary>
    /// Log-loss clips each probability to [eps, 1 - eps] and then divides each row by its sum, as scikit-learn 1.2's
    /// <c>log_loss</c> does, so a zero probability for the true class costs -ln(eps) ≈ 34.5 instead of infinity.
    /// Default 1e-15 (scikit-learn's long-standing default). Must lie in (0, 0.5).
    /// </summary>
    public double LogLossEpsilon { get; init; } = 1e-15;

    /// <summary>
    /// For binary models with one sigmoid output (<see cref="ClassificationEvaluator.AddBinary"/>), class 1 is
    /// predicted when its probability is strictly above this value (default 0.5, as Keras' binary accuracy and
    /// arg-max over [1 - p, p] both do). Must lie in [0, 1]. Two-column scores use arg-max instead.
    /// </summary>
    public float BinaryThreshold { get; init; } = 0.5f;

    /// <summary>
    /// Whether to compute ROC AUC (default true): binary AUC and the ROC curve for two classes, one-vs-rest AUC per
    /// class and their macro mean for more. The evaluator then keeps the scores it needs, 4 bytes per sample for two
    /// classes and 4 x classes bytes per sample otherwise; turn this off for very large evaluations.
    /// </summary>
    public bool ComputeRocAuc { get; init; } = true;

    /// <summary>
    /// Whether the binary ROC curve leaves out points that lie on a straight segment between their neighbours
    /// (default true, scikit-learn's <c>drop_intermediate</c>). The plotted curve and the area are the same either way.
    /// </summary>
    public bool DropIntermediateRocPoints { get; init; } = true;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentNullException"><see cref="TopK"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the parameter name is the property's.</exception>
    /// <exception cref="ArgumentException"><see cref="TopK"/> repeats a value.</exception>
    public void Validate()
    {
        if (TopK is null)
        {
            throw new ArgumentNullException(nameof(TopK), "TopK must be a list (it may be empty).");
        }

        for (int i = 0; i < TopK.Count; i++)
        {
            if (TopK[i] < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(TopK), TopK[i], $"TopK[{i}] must be at least 1.");
            }

            for (int j = 0; j < i; j++)
            {
                if (TopK[j] == TopK[i])
                {
                    throw new ArgumentException($"TopK[{j}] and TopK[{i}] are both {TopK[i]}.", nameof(TopK));
                }
            }
        }

        if (!(LogLossEpsilon > 0 && LogLossEpsilon < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(LogLossEpsilon), LogLossEpsilon, "LogLossEpsilon must lie in (0, 0.5).");
        }

        if (!(BinaryThreshold >= 0 && BinaryThreshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(BinaryThreshold), BinaryThreshold, "BinaryThreshold must lie in [0, 1].");
        }
    }
}

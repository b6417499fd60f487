namespace TransferKit.Training.EarlyStopping;

/// <summary>
/// When to stop training because the watched metric stopped improving, with Keras' <c>EarlyStopping</c> semantics:
/// an epoch improves when it beats the best value so far by more than <see cref="MinDelta"/>, and training stops after
/// <see cref="Patience"/> epochs in a row without improvement.
/// </summary>
public sealed class EarlyStoppingOptions
{
    /// <summary>The watched metric (default <see cref="MonitoredMetric.ValidationLoss"/>).</summary>
    public MonitoredMetric Metric { get; init; } = MonitoredMetric.ValidationLoss;

    /// <summary>Whether lower or higher is better, implied by <see cref="Metric"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Metric"/> is not a defined value.</exception>
    public MetricMode Mode => Metric.Mode();

    /// <summary>
    /// Epochs without improvement to tolerate before stopping (default 3; Keras' default 0 stops at the first epoch
    /// that does not improve). Non-negative.
    /// </summary>
    public int Patience { get; init; } = 3;

    /// <summary>
    /// The smallest change that counts as an improvement, in the metric's units (default 0: any strict improvement).
    /// Non-negative and finite; for accuracies in [0, 1], 0.001 is a tenth of a percentage point.
    /// </summary>
    public double MinDelta { get; init; }

    /// <summary>
    /// Whether the fit loop puts back the weights of the best epoch when training ends (default true; Keras' default is
    /// false, which keeps the last epoch's weights). The tracker reports <see cref="EarlyStoppingDecision.Improved"/>
    /// when the weights should be saved.
    /// </summary>
    public bool RestoreBestWeights { get; init; } = true;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the parameter name is the property's.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Metric))
            throw new ArgumentOutOfRangeException(nameof(Metric), Metric, "EarlyStoppingOptions.Metric is not a defined metric.");
        if (Patience < 0)
            throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "EarlyStoppingOptions.Patience must be non-negative.");
        if (!(MinDelta >= 0) || double.IsInfinity(MinDelta))
            throw new ArgumentOutOfRangeException(nameof(MinDelta), MinDelta, "EarlyStoppingOptions.MinDelta must be non-negative and finite.");
    }
}

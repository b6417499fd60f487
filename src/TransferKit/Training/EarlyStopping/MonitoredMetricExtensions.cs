using TransferKit.Training.Callbacks;

namespace TransferKit.Training.EarlyStopping;

/// <summary>Facts about each <see cref="MonitoredMetric"/>.</summary>
public static class MonitoredMetricExtensions
{
    /// <summary>Whether the metric is minimized (losses) or maximized (accuracies).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="metric"/> is not a defined value.</exception>
    public static MetricMode Mode(this MonitoredMetric metric) => metric switch
    {
        MonitoredMetric.ValidationLoss or MonitoredMetric.TrainLoss => MetricMode.Minimize,
        MonitoredMetric.ValidationAccuracy or MonitoredMetric.TrainAccuracy => MetricMode.Maximize,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    /// <summary>Whether the metric needs a validation set.</summary>
    public static bool NeedsValidation(this MonitoredMetric metric) =>
        metric is MonitoredMetric.ValidationLoss or MonitoredMetric.ValidationAccuracy;

    /// <summary>The metric's value in <paramref name="epoch"/>, or null when the epoch has no validation results.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="epoch"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="metric"/> is not a defined value.</exception>
    public static double? ValueIn(this MonitoredMetric metric, EpochResult epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        return metric switch
        {
            MonitoredMetric.ValidationLoss => epoch.ValidationLoss,
            MonitoredMetric.ValidationAccuracy => epoch.ValidationAccuracy,
            MonitoredMetric.TrainLoss => epoch.TrainLoss,
            MonitoredMetric.TrainAccuracy => epoch.TrainAccuracy,
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
        };
    }
}

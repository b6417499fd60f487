namespace TransferKit.Training.EarlyStopping;

/// <summary>Which direction of a metric is better (Keras' <c>mode</c>).</summary>
public enum MetricMode
{
    /// <summary>Lower is better (losses).</summary>
    Minimize,

    /// <summary>Higher is better (accuracies).</summary>
    Maximize,
}

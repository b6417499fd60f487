namespace TransferKit.Training.EarlyStopping;

/// <summary>The epoch metric early stopping watches. Losses improve downwards, accuracies upwards.</summary>
public enum MonitoredMetric
{
    /// <summary>Mean loss on the validation set (Keras' <c>val_loss</c>); minimized.</summary>
    ValidationLoss,

    /// <summary>Accuracy on the validation set (Keras' <c>val_accuracy</c>); maximized.</summary>
    ValidationAccuracy,

    /// <summary>Mean training loss of the epoch (Keras' <c>loss</c>); minimized.</summary>
    TrainLoss,

    /// <summary>Training accuracy of the epoch (Keras' <c>accuracy</c>); maximized.</summary>
    TrainAccuracy,
}

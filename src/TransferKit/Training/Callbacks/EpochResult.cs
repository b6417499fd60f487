namespace TransferKit.Training.Callbacks;

/// <summary>Metrics of one finished epoch, passed to <see cref="ITrainingCallback.OnEpochEnd"/>.</summary>
/// <param name="Epoch">Zero-based epoch (display <c>Epoch + 1</c>).</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches (weighted by batch size).</param>
/// <param name="TrainAccuracy">Training accuracy over the epoch, in [0, 1], measured with the weights of each batch's forward.</param>
/// <param name="ValidationLoss">Mean validation loss after the epoch, or null without a validation set.</param>
/// <param name="ValidationAccuracy">Validation accuracy after the epoch, in [0, 1], or null without a validation set.</param>
/// <param name="LearningRate">The base learning rate of the epoch's last step, before group multipliers.</param>
/// <param name="Duration">Wall time of the epoch, validation included.</param>
/// <param name="ImagesPerSecond">Training images per second over the epoch.</param>
public sealed record EpochResult(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double LearningRate,
    TimeSpan Duration,
    double ImagesPerSecond);

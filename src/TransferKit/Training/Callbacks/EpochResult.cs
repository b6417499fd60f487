namespace TransferKit.Training.Callbacks;

/// <summary>Metrics of one finished epoch, passed to <see cref="ITrainingCallback.OnEpochEnd"/>.</summary>
/// <param name="Epoch">The epoch, counted from 1 as in the logs and reports (the first epoch is 1).</param>
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
    double ImagesPerSecond)
{
    /// <summary>
    /// One log line, as <see cref="TextLogCallback"/> writes it:
    /// <c>epoch 3: train loss 0.4123, accuracy 84.2%; validation loss 0.3871, accuracy 86.0%; lr 0.001; 12.3 s, 160 img/s</c>
    /// (culture-invariant).
    /// </summary>
    public override string ToString() => ToLogLine();

    /// <summary>The log line of <see cref="ToString"/>, starting <c>epoch 3/10</c> when <paramref name="totalEpochs"/> is given.</summary>
    /// <param name="totalEpochs">The epochs planned, or null to print the epoch alone.</param>
    public string ToLogLine(int? totalEpochs = null)
    {
        string of = totalEpochs is int total ? FormattableString.Invariant($"/{total}") : "";
        string validation = ValidationLoss is double vl
            ? FormattableString.Invariant($"; validation loss {vl:F4}, accuracy {ValidationAccuracy:0.0%}")
            : "";
        return FormattableString.Invariant($"epoch {Epoch}{of}: train loss {TrainLoss:F4}, accuracy {TrainAccuracy:0.0%}{validation}; ")
            + FormattableString.Invariant($"lr {LearningRate:G4}; {Duration.TotalSeconds:F1} s, {ImagesPerSecond:F0} img/s");
    }
}

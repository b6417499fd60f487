namespace TransferKit.Training.Callbacks;

/// <summary>Progress after one batch, passed to <see cref="ITrainingCallback.OnBatchEnd"/> and to <see cref="IProgress{T}"/>.</summary>
/// <param name="Phase">What the batch was for.</param>
/// <param name="Epoch">The epoch, counted from 1 as in the logs (the first epoch is 1; feature caching reports 1).</param>
/// <param name="TotalEpochs">Epochs planned.</param>
/// <param name="Batch">Zero-based index of the batch just finished within this phase of the epoch.</param>
/// <param name="TotalBatches">Batches in this phase of the epoch.</param>
/// <param name="ImagesPerSecond">Throughput of this phase so far, in images per second.</param>
/// <param name="Loss">
/// Running mean loss of this phase so far (the batch's loss for the first batch), or null where no loss is computed
/// (<see cref="TrainingPhase.CachingFeatures"/>).
/// </param>
/// <param name="LearningRate">The base learning rate of the step, before group multipliers; null outside training.</param>
public sealed record TrainingProgress(
    TrainingPhase Phase,
    int Epoch,
    int TotalEpochs,
    int Batch,
    int TotalBatches,
    double ImagesPerSecond,
    double? Loss,
    double? LearningRate)
{
    /// <summary>Fraction of this phase of the epoch done, in (0, 1].</summary>
    public double Fraction => TotalBatches > 0 ? (Batch + 1) / (double)TotalBatches : 1;
}

using System.Globalization;
using Microsoft.ML.Runtime;
using TransferKit.Training.Callbacks;

namespace TransferKit.MLNet.Classification;

/// <summary>
/// Writes training progress to the MLContext's log (<c>mlContext.Log</c>) in the manner of ImageClassificationTrainer:
/// the cache phase as it fills, then one line per epoch with accuracy, cross-entropy and learning rate, for the
/// training and the validation set; and passes each epoch to the user's metrics callback.
/// </summary>
internal sealed class MlNetLogCallback(IChannel channel, Action<EpochResult>? metrics) : ITrainingCallback
{
    public void OnTrainBegin(TrainingStart start) =>
        Info($"Training: {start.TotalEpochs} epoch(s) of {start.BatchesPerEpoch} batch(es), {start.TrainImages} training image(s), {start.ValidationImages?.ToString(CultureInfo.InvariantCulture) ?? "no"} validation image(s)");

    public void OnBatchEnd(TrainingProgress progress)
    {
        if (progress.Phase != TrainingPhase.CachingFeatures) return;
        if (progress.Batch == 0 || progress.Batch + 1 == progress.TotalBatches)
            Info($"Phase: Bottleneck Computation, Batch: {progress.Batch + 1}/{progress.TotalBatches}, Images/s: {progress.ImagesPerSecond:F1}");
    }

    public void OnEpochEnd(EpochResult r)
    {
        Info($"Phase: Training, Dataset used: Train, Epoch: {r.Epoch,3}, Accuracy: {r.TrainAccuracy:F4}, Cross-Entropy: {r.TrainLoss:F4}, Learning Rate: {r.LearningRate:G6}");
        if (r.ValidationAccuracy is { } accuracy)
            Info($"Phase: Training, Dataset used: Validation, Epoch: {r.Epoch,3}, Accuracy: {accuracy:F4}, Cross-Entropy: {r.ValidationLoss:F4}");
        metrics?.Invoke(r);
    }

    public void OnTrainEnd(TrainingResult result) =>
        Info($"Training ended after {result.Epochs.Count} epoch(s){(result.StoppedEarly ? " (early stopping)" : "")} in {result.TotalTime.TotalSeconds:F1} s");

    private void Info(string message) => channel.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture, $"{message}"));
}

namespace TransferKit.Training.Callbacks;

/// <summary>What a fit is about to do, passed to <see cref="ITrainingCallback.OnTrainBegin"/>.</summary>
/// <param name="TotalEpochs">Epochs planned (early stopping may end sooner).</param>
/// <param name="BatchesPerEpoch">Training batches (optimizer steps) per epoch.</param>
/// <param name="TrainImages">Images in the training set.</param>
/// <param name="ValidationImages">Images in the validation set, or null without one.</param>
public sealed record TrainingStart(int TotalEpochs, int BatchesPerEpoch, int TrainImages, int? ValidationImages);

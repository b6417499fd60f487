namespace TransferKit.Training.Callbacks;

/// <summary>An epoch about to start, passed to <see cref="ITrainingCallback.OnEpochBegin"/>.</summary>
/// <param name="Epoch">The epoch, counted from 1 as in the logs (the first epoch is 1; feature caching reports 1).</param>
/// <param name="TotalEpochs">Epochs planned.</param>
/// <param name="LearningRate">The base learning rate of the epoch's first step, before group multipliers.</param>
public sealed record EpochStart(int Epoch, int TotalEpochs, double LearningRate);

namespace TransferKit.Training.Callbacks;

/// <summary>The base learning rate of one optimizer step, for plotting the schedule.</summary>
/// <param name="Epoch">
/// Where the step starts, in epochs from the start of the run: epoch <c>e</c>'s batch <c>b</c> of <c>B</c> is at
/// <c>e + b / B</c>, so a per-step schedule (one-cycle, cosine by step) shows its shape within each epoch.
/// </param>
/// <param name="LearningRate">The scheduled base rate of that step, before parameter-group multipliers.</param>
public sealed record LearningRateStep(double Epoch, double LearningRate);

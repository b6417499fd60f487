using TransferKit.Training.Callbacks;

namespace TransferKit.Tests.Api;

/// <summary>A callback that keeps the warnings a fit reports, for tests that check what reached the callbacks.</summary>
internal sealed class RecordingCallback : ITrainingCallback
{
    public List<TrainingWarning> Warnings { get; } = [];

    public void OnWarning(TrainingWarning warning) => Warnings.Add(warning);
}

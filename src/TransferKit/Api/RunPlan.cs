using TransferKit.Training.Checkpoints;

namespace TransferKit.Api;

/// <summary>
/// What one run of the fit loop does: how many epochs, at which base learning rate, where its checkpoints go, and the
/// checkpoint it resumes from. <paramref name="EpochOffset"/> shifts the epoch that seeds shuffling and dropout, so a
/// second phase of fine-tuning does not replay the first phase's batch order. <paramref name="FineTunePhase"/> names the
/// fine-tuning phase (recorded in its checkpoints), or is null for a plain fit.
/// </summary>
internal sealed record RunPlan(int Epochs, double LearningRate, string? CheckpointDirectory, int EpochOffset = 0, TrainingCheckpoint? Resume = null,
    string? FineTunePhase = null)
{
    /// <summary>A plain fit as the options describe it.</summary>
    public static RunPlan Whole(TrainingOptions o) => new(o.Epochs, o.LearningRate, o.CheckpointDirectory);

    /// <summary>The epoch number that seeds the loader's order and dropout masks.</summary>
    public int DataEpoch(int epoch) => EpochOffset + epoch;
}

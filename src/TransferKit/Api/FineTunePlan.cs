using TransferKit.Training.Checkpoints;
using TransferKit.Training.Freezing;

namespace TransferKit.Api;

/// <summary>
/// The arguments of one two-phase fine-tune, validated once, and the <see cref="RunPlan"/> of each phase: phase 1 at the
/// options' learning rate in the checkpoint subfolder <c>frozen</c>, phase 2 at that rate over the divisor in
/// <c>unfrozen</c>, its shuffling and dropout seeded after phase 1's planned epochs. FineTuneAsync and
/// ResumeFineTuneAsync both derive their phases from here, so a resumed run cannot plan differently from a fresh one.
/// </summary>
internal sealed record FineTunePlan(int FrozenEpochs, int UnfrozenEpochs, FreezeDepth Unfreeze, double LearningRateDivisor)
{
    /// <summary>Phase 1's checkpoint subfolder and its <see cref="CheckpointMetadata.FineTunePhase"/>.</summary>
    public const string FrozenPhase = "frozen";

    /// <summary>Phase 2's checkpoint subfolder and its <see cref="CheckpointMetadata.FineTunePhase"/>.</summary>
    public const string UnfrozenPhase = "unfrozen";

    /// <summary>Validates the public arguments of a fine-tune.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="unfreeze"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An epoch count is below 1, or the divisor is below 1 or not finite.</exception>
    public static FineTunePlan Create(int frozenEpochs, int unfrozenEpochs, FreezeDepth unfreeze, double learningRateDivisor)
    {
        ArgumentNullException.ThrowIfNull(unfreeze);
        ArgumentOutOfRangeException.ThrowIfLessThan(frozenEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(unfrozenEpochs, 1);
        if (!(learningRateDivisor >= 1) || double.IsInfinity(learningRateDivisor))
            throw new ArgumentOutOfRangeException(nameof(learningRateDivisor), learningRateDivisor, "The learning-rate divisor must be finite and at least 1.");
        return new FineTunePlan(frozenEpochs, unfrozenEpochs, unfreeze, learningRateDivisor);
    }

    /// <summary>Phase 2's base learning rate.</summary>
    public double UnfrozenLearningRate(TrainingOptions options) => options.LearningRate / LearningRateDivisor;

    /// <summary>Phase 1's run, continuing <paramref name="resume"/> when given.</summary>
    public RunPlan Frozen(TrainingOptions options, TrainingCheckpoint? resume = null) =>
        new(FrozenEpochs, options.LearningRate, Folder(options, FrozenPhase), Resume: resume, FineTunePhase: FrozenPhase);

    /// <summary>Phase 2's run, continuing <paramref name="resume"/> when given.</summary>
    public RunPlan Unfrozen(TrainingOptions options, TrainingCheckpoint? resume = null) =>
        new(UnfrozenEpochs, UnfrozenLearningRate(options), Folder(options, UnfrozenPhase), EpochOffset: FrozenEpochs, Resume: resume, FineTunePhase: UnfrozenPhase);

    private static string? Folder(TrainingOptions options, string phase) =>
        options.CheckpointDirectory is { } root ? Path.Combine(root, phase) : null;
}

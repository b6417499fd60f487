using TransferKit.Training.Callbacks;
using TransferKit.Training.Freezing;

namespace TransferKit.Api;

/// <summary>The two phases of <see cref="ImageClassifierTrainer.FineTuneAsync"/>.</summary>
/// <param name="Frozen">Phase 1: the head trained with the whole backbone frozen.</param>
/// <param name="Unfrozen">Phase 2: the head and the unfrozen units trained at the lower learning rate.</param>
/// <param name="UnfrozenPlan">The freeze in force during phase 2 (and after).</param>
/// <param name="UnfrozenLearningRate">Phase 2's base learning rate.</param>
public sealed record FineTuneResult(TrainingResult Frozen, TrainingResult Unfrozen, FreezePlan UnfrozenPlan, double UnfrozenLearningRate)
{
    /// <summary>Every epoch of both phases, phase 1 first.</summary>
    public IReadOnlyList<EpochResult> Epochs => [.. Frozen.Epochs, .. Unfrozen.Epochs];
}

using TransferKit.Data.Datasets;
using TransferKit.Training.Callbacks;
using TransferKit.Training.Checkpoints;
using TransferKit.Training.EarlyStopping;
using TransferKit.Training.Freezing;

namespace TransferKit.Api;

public sealed partial class ImageClassifierTrainer
{
    /// <summary>
    /// Continues an interrupted <see cref="FineTuneAsync"/> from the checkpoints it wrote under
    /// <paramref name="checkpointDirectory"/> (its <see cref="TrainingOptions.CheckpointDirectory"/>), given the same
    /// arguments. With only phase 1 (<c>frozen</c>) checkpoints, phase 1 continues from its latest one and phase 2 then
    /// runs exactly as in <see cref="FineTuneAsync"/>; a phase 1 that had finished (all its epochs, or stopped early)
    /// goes straight to phase 2. With phase 2 (<c>unfrozen</c>) checkpoints, phase 1's result is rebuilt from its last
    /// checkpoint (no epoch is trained again: its history, best epoch and weights are restored and its validation
    /// report is computed again) and phase 2 continues from its latest checkpoint for the rest of
    /// <paramref name="unfrozenEpochs"/> at the options' learning rate / <paramref name="learningRateDivisor"/>. A
    /// finished fine-tune trains nothing and returns its result. With the same data, seed, machine and thread count, the
    /// final weights and every epoch's metrics are bit-identical to an uninterrupted run's. New checkpoints go under
    /// <see cref="TrainingOptions.CheckpointDirectory"/>, as in <see cref="FineTuneAsync"/>. A resumed phase's
    /// <see cref="TrainingResult.TotalTime"/> and <see cref="TrainingResult.LearningRates"/> cover only this call's work,
    /// as with <see cref="ResumeAsync"/>.
    /// </summary>
    /// <param name="checkpointDirectory">The interrupted run's checkpoint folder (holding <c>frozen</c> and maybe <c>unfrozen</c>).</param>
    /// <param name="train">The same training set as the interrupted run.</param>
    /// <param name="validation">The same validation set, or null.</param>
    /// <param name="frozenEpochs">Phase 1 epochs, as in the interrupted call (at least 1; may be raised while phase 2 has not started).</param>
    /// <param name="unfrozenEpochs">Phase 2 epochs, as in the interrupted call (at least 1; may be raised to train longer).</param>
    /// <param name="unfreeze">Phase 2's freeze depth, as in the interrupted call.</param>
    /// <param name="learningRateDivisor">Phase 2's learning-rate divisor, as in the interrupted call.</param>
    /// <param name="progress">Per-batch progress of both phases, or null.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    /// <returns>Both phases' results, each with the checkpointed epochs followed by the new ones.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An epoch count is below 1 or the divisor below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="unfreeze"/> does not fit the network, or the datasets do not fit the classes.</exception>
    /// <exception cref="CheckpointException">
    /// The folder holds no fine-tuning checkpoints (it resumes a run; it never starts one), a checkpoint is unreadable, or
    /// the checkpoints belong to a different run: classes, seed, batch size, optimizer, batches per epoch, freeze
    /// (<paramref name="unfreeze"/> for phase 2), learning rate or <paramref name="frozenEpochs"/> differ, or they have
    /// more epochs than planned. The message names the file or folder.
    /// </exception>
    /// <exception cref="NonFiniteLossException">The loss became NaN or infinite.</exception>
    public Task<FineTuneResult> ResumeFineTuneAsync(string checkpointDirectory, IImageDataset train, IImageDataset? validation,
        int frozenEpochs, int unfrozenEpochs, FreezeDepth unfreeze, double learningRateDivisor = 10,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpointDirectory);
        ArgumentNullException.ThrowIfNull(train);
        var plan = FineTunePlan.Create(frozenEpochs, unfrozenEpochs, unfreeze, learningRateDivisor);
        return Task.Run(() =>
        {
            var (frozenPath, unfrozenPath) = FindFineTuneCheckpoints(checkpointDirectory);
            using var frozenCheckpoint = TrainingCheckpoint.Read(frozenPath);
            using var unfrozenCheckpoint = unfrozenPath is null ? null : TrainingCheckpoint.Read(unfrozenPath);
            return WithData(train, validation, (t, v) =>
            {
                var o = _settings.Training;
                // Everything is checked before anything trains, so a mismatch costs no time.
                int backbone = FreezeDepth.Backbone.Resolve(Network);
                RequirePhase(frozenCheckpoint, FineTunePlan.FrozenPhase, backbone, "the whole backbone frozen", o.LearningRate, 0,
                    plan.FrozenEpochs, nameof(frozenEpochs));
                if (unfrozenCheckpoint is not null)
                {
                    RequirePhase(unfrozenCheckpoint, FineTunePlan.UnfrozenPhase, plan.Unfreeze.Resolve(Network), $"unfreeze = {plan.Unfreeze}",
                        plan.UnfrozenLearningRate(o), plan.FrozenEpochs, plan.UnfrozenEpochs, nameof(unfrozenEpochs));
                    var m = frozenCheckpoint.Metadata;
                    if (!Finished(m, plan.FrozenEpochs, o.EarlyStopping))
                        throw new CheckpointException(frozenCheckpoint.FilePath, $"phase 1 stopped after {m.EpochsCompleted} of {plan.FrozenEpochs} epochs, "
                            + $"yet phase 2 has checkpoints in {Path.GetDirectoryName(unfrozenCheckpoint.FilePath)}: they are not this run's phase 2.");
                }

                ApplyCheckpoint(frozenCheckpoint.FilePath, frozenCheckpoint);
                // A finished phase 1 trains no epoch here: the run only restores its best weights and reports.
                var frozen = new FitRun(this, t, v, progress, cancellationToken, plan.Frozen(o, frozenCheckpoint)).Run();
                if (unfrozenCheckpoint is not null) ApplyCheckpoint(unfrozenCheckpoint.FilePath, unfrozenCheckpoint);
                return RunUnfrozenPhase(t, v, plan, frozen, unfrozenCheckpoint, progress, cancellationToken);
            });
        }, cancellationToken);
    }

    /// <summary>The latest checkpoint of phase 1 (required) and of phase 2 (if any) under <paramref name="directory"/>.</summary>
    private static (string Frozen, string? Unfrozen) FindFineTuneCheckpoints(string directory)
    {
        string frozenFolder = Path.Combine(directory, FineTunePlan.FrozenPhase);
        string? frozen = TrainingCheckpoint.Latest(frozenFolder);
        string? unfrozen = TrainingCheckpoint.Latest(Path.Combine(directory, FineTunePlan.UnfrozenPhase));
        return (frozen, unfrozen) switch
        {
            (null, null) => throw new CheckpointException(directory,
                $"it holds no fine-tuning checkpoints (checkpoint-epoch*.safetensors in '{FineTunePlan.FrozenPhase}' or '{FineTunePlan.UnfrozenPhase}'); "
                + "nothing to resume (start the run with FineTuneAsync)."),
            (null, _) => throw new CheckpointException(frozenFolder,
                "phase 2 has checkpoints but phase 1 has none: its result cannot be rebuilt (were its checkpoints deleted?)."),
            _ => (frozen!, unfrozen),
        };
    }

    /// <summary>Checks that a phase's checkpoint is this fine-tune's: same run, phase, freeze, learning rate and epoch offset, within the planned epochs.</summary>
    private void RequirePhase(TrainingCheckpoint checkpoint, string phase, int frozenUnits, string freeze, double learningRate, int epochOffset,
        int plannedEpochs, string epochsArgument)
    {
        string path = checkpoint.FilePath;
        var m = checkpoint.Metadata;
        // Files written before the phase was recorded carry neither it nor the offset; their folder vouches for them.
        if (m.FineTunePhase is { } written && written != phase)
            throw new CheckpointException(path, $"it was written by the '{written}' phase; the '{phase}' phase was expected here.");
        RequireSameRun(path, checkpoint, learningRate, frozenUnits,
            $"the '{phase}' phase's: TrainingOptions.LearningRate, divided by learningRateDivisor in phase 2", $"the '{phase}' phase with {freeze}");
        if (m.FineTunePhase is not null && m.EpochOffset != epochOffset)
            throw new CheckpointException(path, $"it was written after {m.EpochOffset} phase 1 epochs; this call has frozenEpochs = {epochOffset}.");
        if (m.EpochsCompleted > plannedEpochs)
            throw new CheckpointException(path, $"it has finished {m.EpochsCompleted} epochs; this call plans {epochsArgument} = {plannedEpochs}.");
    }

    /// <summary>Whether a phase ended at this checkpoint: all its planned epochs ran, or early stopping said stop.</summary>
    private static bool Finished(CheckpointMetadata metadata, int plannedEpochs, EarlyStoppingOptions? earlyStopping)
    {
        if (metadata.EpochsCompleted >= plannedEpochs) return true;
        if (earlyStopping is null) return false;
        // Replaying the history decides exactly as the interrupted run's tracker did.
        var tracker = new EarlyStoppingTracker(earlyStopping);
        foreach (var result in metadata.History)
            if (tracker.Observe(result) == EarlyStoppingDecision.Stop) return true;
        return false;
    }
}

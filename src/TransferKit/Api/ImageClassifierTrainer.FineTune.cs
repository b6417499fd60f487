using TransferKit.Data.Datasets;
using TransferKit.Training.Callbacks;
using TransferKit.Training.Checkpoints;
using TransferKit.Training.Freezing;

namespace TransferKit.Api;

public sealed partial class ImageClassifierTrainer
{
    /// <summary>
    /// Fine-tunes in two phases in one call (fastai's <c>fine_tune</c>, the Keras transfer-learning guide): phase 1 trains
    /// the head for <paramref name="frozenEpochs"/> with the whole backbone frozen (so the activation cache applies), then
    /// phase 2 freezes only to <paramref name="unfreeze"/> and trains for <paramref name="unfrozenEpochs"/> at
    /// <see cref="TrainingOptions.LearningRate"/> / <paramref name="learningRateDivisor"/>. Each phase starts a fresh
    /// optimizer (Adam's moments are reset, as when Keras recompiles; fastai keeps them) and its own schedule and early
    /// stopping; phase 2's shuffling and dropout continue from phase 1's epoch count. With
    /// <see cref="TrainingOptions.CheckpointDirectory"/>, each phase writes checkpoints in its own subfolder
    /// (<c>frozen</c>, <c>unfrozen</c>); <see cref="ResumeFineTuneAsync"/> continues an interrupted fine-tune from them
    /// with the same arguments (<see cref="ResumeAsync"/> refuses them: it resumes plain fits).
    /// </summary>
    /// <param name="train">Labelled training images.</param>
    /// <param name="validation">Labelled validation images, or null.</param>
    /// <param name="frozenEpochs">Phase 1 epochs (at least 1).</param>
    /// <param name="unfrozenEpochs">Phase 2 epochs (at least 1).</param>
    /// <param name="unfreeze">Phase 2's freeze depth, e.g. <see cref="FreezeDepth.TrainLastUnits"/>(2) or <see cref="FreezeDepth.None"/>.</param>
    /// <param name="learningRateDivisor">Phase 2's learning rate is the options' divided by this (default 10, at least 1).</param>
    /// <param name="progress">Per-batch progress of both phases, or null.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    /// <returns>Both phases' results; afterwards <see cref="FreezePlan"/> is phase 2's and <see cref="Model"/> the fine-tuned model.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An epoch count is below 1 or the divisor below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="unfreeze"/> does not fit the network, or the datasets do not fit the classes.</exception>
    /// <exception cref="NonFiniteLossException">The loss became NaN or infinite.</exception>
    public Task<FineTuneResult> FineTuneAsync(IImageDataset train, IImageDataset? validation, int frozenEpochs, int unfrozenEpochs,
        FreezeDepth unfreeze, double learningRateDivisor = 10, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        var plan = FineTunePlan.Create(frozenEpochs, unfrozenEpochs, unfreeze, learningRateDivisor);
        return Task.Run(() => WithData(train, validation, (t, v) =>
        {
            var o = _settings.Training;
            // A fresh fine-tune: an earlier run's phase 2 checkpoints would look like this run's to a resume.
            if (plan.Unfrozen(o).CheckpointDirectory is { } stale) TrainingCheckpoint.DeleteAll(stale);
            UseFreeze(FreezeDepth.Backbone);
            var frozen = new FitRun(this, t, v, progress, cancellationToken, plan.Frozen(o)).Run();
            return RunUnfrozenPhase(t, v, plan, frozen, resume: null, progress, cancellationToken);
        }), cancellationToken);
    }

    /// <summary>
    /// Phase 2 after <paramref name="frozen"/>: from scratch with the <c>unfreeze</c> freeze applied here, or continuing
    /// <paramref name="resume"/>, whose freeze and network state are already installed.
    /// </summary>
    private FineTuneResult RunUnfrozenPhase(IImageDataset train, IImageDataset? validation, FineTunePlan plan, TrainingResult frozen,
        TrainingCheckpoint? resume, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var o = _settings.Training;
        if (resume is null) UseFreeze(plan.Unfreeze);
        var unfrozen = new FitRun(this, train, validation, progress, cancellationToken, plan.Unfrozen(o, resume)).Run();
        return new FineTuneResult(frozen, unfrozen, FreezePlan, plan.UnfrozenLearningRate(o));
    }

    private void UseFreeze(FreezeDepth depth)
    {
        FreezePlan = FreezePlan.For(Network, depth, _settings.TrainFrozenBatchNorm);
        FreezePlan.Apply(Network);
    }
}

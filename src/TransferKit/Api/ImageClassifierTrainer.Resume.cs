using TransferKit.Data.Datasets;
using TransferKit.Nn;
using TransferKit.Training.Callbacks;
using TransferKit.Training.Checkpoints;
using TransferKit.Training.EarlyStopping;
using TransferKit.Training.Freezing;
using TransferKit.Training.Optimizers;

namespace TransferKit.Api;

public sealed partial class ImageClassifierTrainer
{
    /// <summary>
    /// Continues a plain fit (<see cref="FitAsync"/>) from a checkpoint that <see cref="TrainingOptions.CheckpointDirectory"/>
    /// made: restores the network, the optimizer's state, the early-stopping tracker and best weights, then trains the
    /// remaining epochs up to <see cref="TrainingOptions.Epochs"/> (raise it to train longer). A resume continues the same
    /// run, as in Keras and fastai: this trainer must be configured as the interrupted one was (classes, seed, batch size,
    /// optimizer, <see cref="TrainingOptions.LearningRate"/> and freeze depth); nothing is silently taken from the
    /// checkpoint instead, so the trainer's <see cref="FreezePlan"/> and options before the call are what runs. With the
    /// same data, seed, machine and thread count, the final weights are bit-identical to an uninterrupted run's. A
    /// two-phase fine-tune resumes with <see cref="ResumeFineTuneAsync"/> instead.
    /// </summary>
    /// <param name="checkpointPath">A checkpoint file (see <see cref="TrainingCheckpoint.Latest"/>).</param>
    /// <param name="train">The same training set as the interrupted run.</param>
    /// <param name="validation">The same validation set, or null.</param>
    /// <param name="progress">Per-batch progress, or null.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    /// <returns>The whole run's results: the checkpoint's epochs followed by the new ones.</returns>
    /// <exception cref="CheckpointException">
    /// The checkpoint is unreadable, belongs to a different run (classes, seed, batch size, optimizer, learning rate, freeze
    /// depth or batches per epoch differ: the message names each differing setting with the checkpoint's value and this
    /// trainer's), or was written by <see cref="FineTuneAsync"/> (resume those with <see cref="ResumeFineTuneAsync"/>).
    /// </exception>
    /// <exception cref="NonFiniteLossException">The loss became NaN or infinite.</exception>
    /// <exception cref="NonFiniteParameterException">A weight became NaN or infinite; the epoch's checkpoint was not written.</exception>
    public Task<TrainingResult> ResumeAsync(string checkpointPath, IImageDataset train, IImageDataset? validation = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpointPath);
        ArgumentNullException.ThrowIfNull(train);
        return Task.Run(() =>
        {
            using var checkpoint = TrainingCheckpoint.Read(checkpointPath);
            if (checkpoint.Metadata.FineTunePhase is { } phase)
                throw new CheckpointException(checkpointPath, $"it was written by the '{phase}' phase of FineTuneAsync; continue that run with ResumeFineTuneAsync on its checkpoint folder.");
            return WithData(train, validation, (t, v) =>
            {
                RequireSameRun(checkpointPath, checkpoint, _settings.Training.LearningRate, FreezePlan.FrozenUnits, "TrainingOptions.LearningRate", "the freeze depth");
                ApplyCheckpoint(checkpointPath, checkpoint);
                var plan = RunPlan.Whole(_settings.Training) with { LearningRate = checkpoint.Metadata.LearningRate, Resume = checkpoint };
                return new FitRun(this, t, v, progress, cancellationToken, plan).Run();
            });
        }, cancellationToken);
    }

    /// <summary>Installs the checkpoint's freeze (already checked against this run's) and network state.</summary>
    private void ApplyCheckpoint(string path, TrainingCheckpoint checkpoint)
    {
        var m = checkpoint.Metadata;
        if (m.FrozenUnits < 0 || m.FrozenUnits > Network.Units.Count)
            throw new CheckpointException(path, $"it freezes {m.FrozenUnits} units; the network has {Network.Units.Count}.");
        FreezePlan = new FreezePlan(m.FrozenUnits, _settings.TrainFrozenBatchNorm);
        FreezePlan.Apply(Network);
        try
        {
            Network.LoadStateDict(checkpoint.Model, strict: true);
        }
        catch (Exception e) when (e is StateDictMismatchException or TransferKit.Tensors.ShapeMismatchException)
        {
            throw new CheckpointException(path, $"its network does not fit this trainer's: {e.Message}", e);
        }
    }

    /// <summary>
    /// Checks the checkpoint's classes, seed, batch size, optimizer, base learning rate and frozen units against this run,
    /// installing nothing, and names every setting that differs in one message (checkpoint value, then this run's).
    /// </summary>
    /// <param name="path">The checkpoint, for the message.</param>
    /// <param name="checkpoint">The checkpoint read from it.</param>
    /// <param name="learningRate">The base learning rate this run would train at.</param>
    /// <param name="frozenUnits">The leading units this run freezes.</param>
    /// <param name="learningRateSource">Where <paramref name="learningRate"/> comes from, for the message.</param>
    /// <param name="freezeSource">Where <paramref name="frozenUnits"/> comes from, for the message.</param>
    private void RequireSameRun(string path, TrainingCheckpoint checkpoint, double learningRate, int frozenUnits, string learningRateSource, string freezeSource)
    {
        var m = checkpoint.Metadata;
        var o = _settings.Training;
        var differences = new List<string>();
        void Compare(bool same, string what, object inCheckpoint, object requested)
        {
            if (!same) differences.Add(FormattableString.Invariant($"{what}: {inCheckpoint} in the checkpoint, {requested} requested"));
        }
        Compare(m.ClassNames.SequenceEqual(ClassNames), "classes", string.Join(", ", m.ClassNames), string.Join(", ", ClassNames));
        Compare(m.Seed == o.Seed, "seed", m.Seed, o.Seed);
        Compare(m.BatchSize == o.BatchSize, "batch size", m.BatchSize, o.BatchSize);
        Compare(m.Optimizer == o.Optimizer.ToString(), "optimizer", m.Optimizer, o.Optimizer);
        Compare(m.LearningRate == learningRate, $"learning rate ({learningRateSource})", m.LearningRate, learningRate);
        Compare(m.FrozenUnits == frozenUnits, $"frozen units ({freezeSource})", Describe(m.FrozenUnits), Describe(frozenUnits));
        if (differences.Count > 0)
            throw new CheckpointException(path, "it was written by a run with other settings; a resume continues the same run. "
                + string.Join("; ", differences) + ". Resume with the interrupted run's settings, or start a new run without resuming.");
        string Describe(int units) => FormattableString.Invariant($"{units} of {Network.Units.Count}");
    }

    private sealed partial class FitRun
    {
        /// <summary>Restores optimizer, history, tracker and best weights; returns the epoch to start at.</summary>
        private (int Start, Dictionary<string, float[]>? Best, bool StoppedEarly) Restore(TrainingCheckpoint checkpoint, Optimizer optimizer,
            EarlyStoppingTracker? tracker, List<EpochResult> epochs, int stepsPerEpoch)
        {
            var m = checkpoint.Metadata;
            if (m.StepsPerEpoch != stepsPerEpoch)
                throw new CheckpointException(checkpoint.FilePath, $"it was written with {m.StepsPerEpoch} batches per epoch; this run has {stepsPerEpoch} (the training set differs).");
            optimizer.ImportState(_net.NamedParameters(), checkpoint.Optimizer);
            bool stopped = false;
            foreach (var result in m.History)
            {
                epochs.Add(result);
                // Replaying the history rebuilds the tracker's state exactly (best value, best epoch, wait count).
                if (tracker is not null && !stopped) stopped = tracker.Observe(result) == EarlyStoppingDecision.Stop;
            }
            var best = checkpoint.BestWeights?.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
            return (m.EpochsCompleted, best, stopped);
        }

        /// <summary>After an epoch: writes the checkpoint (atomically) and keeps only the newest ones.</summary>
        private void WriteCheckpoint(Optimizer optimizer, List<EpochResult> epochs, EarlyStoppingTracker? tracker, Dictionary<string, float[]>? best, int stepsPerEpoch)
        {
            if (_plan.CheckpointDirectory is not { } dir) return;
            Directory.CreateDirectory(dir);
            var meta = new CheckpointMetadata
            {
                EpochsCompleted = epochs.Count,
                StepsPerEpoch = stepsPerEpoch,
                Seed = _o.Seed,
                BatchSize = _o.BatchSize,
                LearningRate = _plan.LearningRate,
                FrozenUnits = _frozen,
                FineTunePhase = _plan.FineTunePhase,
                EpochOffset = _plan.EpochOffset,
                Optimizer = _o.Optimizer.ToString(),
                ClassNames = _trainer.ClassNames,
                History = epochs.ToArray(),
                BestEpoch = tracker?.BestEpoch,
                EpochsWithoutImprovement = tracker?.EpochsWithoutImprovement ?? 0,
            };
            TrainingCheckpoint.Write(Path.Combine(dir, TrainingCheckpoint.FileName(epochs.Count)), meta, _net.StateDict(),
                optimizer.ExportState(_net.NamedParameters()), best);
            TrainingCheckpoint.Prune(dir, _o.CheckpointsToKeep);
        }

        /// <summary>
        /// Seeds every dropout layer from (seed, layer name, epoch), so an epoch's masks do not depend on how many forward
        /// passes came before it: a resumed run draws the same masks as an uninterrupted one.
        /// </summary>
        private void ReseedDropout(int epoch)
        {
            foreach (var (name, module) in _net.NamedModules())
            {
                if (module is not Dropout dropout) continue;
                ulong h = 14695981039346656037UL;
                foreach (char c in name) h = unchecked((h ^ c) * 1099511628211UL);
                dropout.Seed = unchecked(h ^ ((ulong)(uint)_o.Seed << 32) ^ (ulong)(uint)_plan.DataEpoch(epoch) * 0x9E3779B97F4A7C15UL);
            }
        }
    }
}

using TransferKit.Training.Callbacks;

namespace TransferKit.Training.Checkpoints;

/// <summary>
/// Everything about a run at an epoch boundary that is not a tensor: where it is, what it was configured with (so a
/// resume can refuse a different run) and its history. The early-stopping tracker is rebuilt by replaying
/// <see cref="History"/>, which reproduces its state exactly; <see cref="BestEpoch"/> and <see cref="EpochsWithoutImprovement"/>
/// are recorded for readers.
/// </summary>
public sealed record CheckpointMetadata
{
    /// <summary>
    /// Format version this code writes (2: sealed by SHA-256s of the metadata and the tensors, and <see cref="History"/> and
    /// <see cref="BestEpoch"/> count epochs from 1; version 1 files are still read).
    /// </summary>
    public const int CurrentVersion = 2;

    /// <summary>Format version.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>Epochs finished; training resumes at this zero-based epoch.</summary>
    public required int EpochsCompleted { get; init; }

    /// <summary>Optimizer steps per epoch (the schedule's <c>StepsPerEpoch</c>); the schedule resumes at <c>EpochsCompleted * StepsPerEpoch</c>.</summary>
    public required int StepsPerEpoch { get; init; }

    /// <summary>The run's seed.</summary>
    public required int Seed { get; init; }

    /// <summary>Images per step.</summary>
    public required int BatchSize { get; init; }

    /// <summary>The base learning rate of the run (before the schedule).</summary>
    public required double LearningRate { get; init; }

    /// <summary>Leading units frozen.</summary>
    public required int FrozenUnits { get; init; }

    /// <summary>
    /// The fine-tuning phase that wrote the checkpoint: <c>frozen</c> (phase 1, backbone frozen) or <c>unfrozen</c>
    /// (phase 2), or null for a plain fit and for files written before the phase was recorded.
    /// </summary>
    public string? FineTunePhase { get; init; }

    /// <summary>
    /// The shift of the epoch that seeds shuffling and dropout (phase 2 of fine-tuning starts after phase 1's planned
    /// epochs); 0 for a plain fit and for files written before it was recorded.
    /// </summary>
    public int EpochOffset { get; init; }

    /// <summary>The optimizer's type name (e.g. <c>Adam</c>).</summary>
    public required string Optimizer { get; init; }

    /// <summary>Class names in label order.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>The optimizer's step count.</summary>
    public long OptimizerStepCount { get; init; }

    /// <summary>The optimizer's per-parameter counters (Adam's steps) by <c>"{parameter}/{slot}"</c>.</summary>
    public IReadOnlyDictionary<string, long> OptimizerCounters { get; init; } = new Dictionary<string, long>();

    /// <summary>Every finished epoch's result, in order.</summary>
    public IReadOnlyList<EpochResult> History { get; init; } = [];

    /// <summary>The early-stopping tracker's best epoch (counted from 1, as <see cref="EpochResult.Epoch"/>), or null.</summary>
    public int? BestEpoch { get; init; }

    /// <summary>The early-stopping tracker's count of epochs without improvement.</summary>
    public int EpochsWithoutImprovement { get; init; }

    /// <summary>Whether the file holds the best-weights snapshot of early stopping.</summary>
    public bool HasBestWeights { get; init; }

    /// <summary>
    /// This metadata in the current format: version 1 files counted <see cref="History"/>'s epochs and
    /// <see cref="BestEpoch"/> from 0, so they move up by one (nothing else differs, and resuming stays exact).
    /// </summary>
    internal CheckpointMetadata Upgraded() => Version >= 2 ? this : this with
    {
        Version = CurrentVersion,
        History = [.. History.Select(e => e with { Epoch = e.Epoch + 1 })],
        BestEpoch = BestEpoch + 1,
    };

    /// <summary>SHA-256 over every tensor in the file (names, shapes, float32 bytes), verified on read; empty in version 1 files.</summary>
    public string TensorChecksum { get; init; } = "";
}

using TransferKit.Data.Augmentation;
using TransferKit.Data.Datasets;
using TransferKit.Training.Caching;
using TransferKit.Training.Callbacks;
using TransferKit.Training.EarlyStopping;
using TransferKit.Training.Schedules;

namespace TransferKit.Api;

/// <summary>
/// How a classifier trains. Every property has a documented default; <see cref="Validate"/> runs once, at
/// <see cref="ImageClassifierBuilder.Build"/>, and its errors name the option.
/// </summary>
public sealed class TrainingOptions
{
    /// <summary>Passes over the training set. Default 10.</summary>
    public int Epochs { get; set; } = 10;

    /// <summary>Images per step. Default 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Base learning rate (the head's; see <see cref="BackboneLearningRateMultiplier"/>). Default 1e-3.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Optimizer. Default Adam.</summary>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;

    /// <summary>SGD momentum. Default 0.9.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>Weight decay (L2 for SGD and Adam, decoupled for AdamW). Default 0.</summary>
    public double WeightDecay { get; set; }

    /// <summary>Learning-rate schedule. Default constant. ML.NET's default is <see cref="ExponentialDecaySchedule"/> (0.94 every 2 epochs).</summary>
    public ILearningRateSchedule Schedule { get; set; } = ConstantSchedule.Instance;

    /// <summary>
    /// Discriminative learning rates: trainable backbone units learn at this multiple of the head's rate (fastai's
    /// <c>slice</c>, spread geometrically from this value at the first trainable unit to 1 at the head). Default 1.
    /// </summary>
    public double BackboneLearningRateMultiplier { get; set; } = 1;

    /// <summary>Label smoothing of the softmax cross-entropy, in [0, 1). Default 0.</summary>
    public float LabelSmoothing { get; set; }

    /// <summary>Per-class loss weights (softmax heads), one per class, or null. Default null.</summary>
    public IReadOnlyList<float>? ClassWeights { get; set; }

    /// <summary>Training-time augmentation; any enabled augmentation turns the activation cache off. Default none.</summary>
    public AugmentationOptions Augmentation { get; set; } = AugmentationOptions.None;

    /// <summary>Seed of initialisation, shuffling, augmentation and dropout. Same seed, machine and threads: same weights. Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>Threads for kernels and BLAS; null keeps <see cref="Kernels.Parallelism.DegreeOfParallelism"/>. Default null.</summary>
    public int? DegreeOfParallelism { get; set; }

    /// <summary>Decoding threads of the data loader; null lets the loader choose. Default null.</summary>
    public int? LoaderWorkers { get; set; }

    /// <summary>Early stopping, or null for none. Default null.</summary>
    public EarlyStoppingOptions? EarlyStopping { get; set; }

    /// <summary>When no validation set is passed, this fraction of the training set is held out (stratified, seeded). Default 0.</summary>
    public double ValidationFraction { get; set; }

    /// <summary>
    /// The arithmetic of the frozen units' forward pass (the activation cache fill, or every step without a cache):
    /// Float32 (the default) or BFloat16, which runs their matrix products about twice as fast on CPUs with
    /// AVX512-BF16 and changes test accuracy by a few tenths of a point at most on the tasks we measured. The trainable
    /// units always train in Float32. Where bfloat16 is unavailable the run uses Float32 and reports a
    /// <see cref="TrainingWarningKind.BFloat16Unavailable"/> warning.
    /// </summary>
    public InferencePrecision FrozenPrecision { get; set; }

    /// <summary>Whether to cache the frozen prefix's output when nothing random runs before it. Default true.</summary>
    public bool UseActivationCache { get; set; } = true;

    /// <summary>Where and how the cache is kept. Default: in memory up to 4 GiB, else a memory-mapped file, float32.</summary>
    public ActivationCacheOptions Cache { get; set; } = new();

    /// <summary>What to do with unreadable images. Default: skip and report.</summary>
    public BadImagePolicy BadImages { get; set; } = BadImagePolicy.SkipAndReport;

    /// <summary>
    /// Folder for a checkpoint after every epoch (network, optimizer state, early-stopping state, position; see
    /// <see cref="Training.Checkpoints.TrainingCheckpoint"/>), written atomically, or null for none. Resume with
    /// <see cref="ImageClassifierTrainer.ResumeAsync"/>, or <see cref="ImageClassifierTrainer.ResumeFineTuneAsync"/> for a
    /// <see cref="ImageClassifierTrainer.FineTuneAsync"/> run (which writes each phase in its own subfolder). A run that
    /// starts afresh first deletes the checkpoint files an earlier run left there. Default null.
    /// </summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>How many of the newest checkpoints to keep in <see cref="CheckpointDirectory"/>; older ones are deleted. Default 2.</summary>
    public int CheckpointsToKeep { get; set; } = 2;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        static void Require(bool ok, string option, string rule, object? value)
        {
            if (!ok) throw new ArgumentException($"TrainingOptions.{option} {rule}, got {value}.", option);
        }

        Require(Epochs >= 1, nameof(Epochs), "must be at least 1", Epochs);
        Require(BatchSize >= 1, nameof(BatchSize), "must be at least 1", BatchSize);
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), "must be positive and finite", LearningRate);
        Require(Momentum is >= 0 and < 1, nameof(Momentum), "must be in [0, 1)", Momentum);
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), nameof(WeightDecay), "must be non-negative", WeightDecay);
        Require(BackboneLearningRateMultiplier > 0 && BackboneLearningRateMultiplier <= 1, nameof(BackboneLearningRateMultiplier), "must be in (0, 1]", BackboneLearningRateMultiplier);
        Require(LabelSmoothing is >= 0 and < 1, nameof(LabelSmoothing), "must be in [0, 1)", LabelSmoothing);
        Require(ValidationFraction is >= 0 and < 1, nameof(ValidationFraction), "must be in [0, 1)", ValidationFraction);
        Require(DegreeOfParallelism is null or >= 1, nameof(DegreeOfParallelism), "must be at least 1", DegreeOfParallelism);
        Require(LoaderWorkers is null or >= 1, nameof(LoaderWorkers), "must be at least 1", LoaderWorkers);
        Require(Enum.IsDefined(FrozenPrecision), nameof(FrozenPrecision), "must be Float32 or BFloat16", FrozenPrecision);
        Require(CheckpointsToKeep >= 1, nameof(CheckpointsToKeep), "must be at least 1", CheckpointsToKeep);
        Require(CheckpointDirectory is null || CheckpointDirectory.Length > 0, nameof(CheckpointDirectory), "must be null or a folder", "\"\"");
        Require(Schedule is not null, nameof(Schedule), "must be set", "null");
        if (ClassWeights is not null)
            for (int i = 0; i < ClassWeights.Count; i++)
                Require(ClassWeights[i] >= 0 && float.IsFinite(ClassWeights[i]), $"{nameof(ClassWeights)}[{i}]", "must be non-negative", ClassWeights[i]);
        try
        {
            Augmentation.Validate();
            Cache.Validate();
            EarlyStopping?.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"TrainingOptions: {e.Message}", e.ParamName, e);
        }
    }
}

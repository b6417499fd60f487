using TransferKit.Data.Datasets;

namespace TransferKit.Training.Callbacks;

/// <summary>
/// What one fit was asked to do and what it decided, captured when it ends, so a report can say how a result was
/// obtained. Descriptions are for people to read; their wording may change between versions.
/// </summary>
public sealed record RunSettings
{
    /// <summary>The architecture's catalog name (e.g. <c>resnet50</c>), or the baseline CNN with its channels.</summary>
    public required string Architecture { get; init; }

    /// <summary>Where the starting weights came from: a weights descriptor's name, a file, a saved model, or none.</summary>
    public required string WeightsSource { get; init; }

    /// <summary>The network's input size in pixels (square).</summary>
    public required int InputSize { get; init; }

    /// <summary>The network's freezable units in order (stem, stages or blocks).</summary>
    public required IReadOnlyList<string> Units { get; init; }

    /// <summary>How many leading units of <see cref="Units"/> were frozen.</summary>
    public required int FrozenUnits { get; init; }

    /// <summary>Whether BatchNorm inside the frozen units kept training (fastai's <c>train_bn</c>).</summary>
    public required bool TrainFrozenBatchNorm { get; init; }

    /// <summary>Parameters that trained, head included.</summary>
    public required long TrainableParameters { get; init; }

    /// <summary>Parameters that stayed frozen (BatchNorm running statistics are buffers and not counted).</summary>
    public required long FrozenParameters { get; init; }

    /// <summary>The head, e.g. <c>avg → [BN, Linear 256, ReLU, Dropout 0.5] → softmax(10)</c>.</summary>
    public required string Head { get; init; }

    /// <summary>The class names in label order.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>The optimizer with its momentum or weight decay, e.g. <c>Adam (weight decay 0)</c>.</summary>
    public required string Optimizer { get; init; }

    /// <summary>The base learning rate of the run (the head's, before the schedule).</summary>
    public required double LearningRate { get; init; }

    /// <summary>Multiplier of the first trainable backbone unit's rate (1 when every group learns at the base rate).</summary>
    public required double BackboneLearningRateMultiplier { get; init; }

    /// <summary>The learning-rate schedule with its parameters.</summary>
    public required string Schedule { get; init; }

    /// <summary>Epochs planned (early stopping may have ended the run sooner).</summary>
    public required int Epochs { get; init; }

    /// <summary>Images per step.</summary>
    public required int BatchSize { get; init; }

    /// <summary>The seed of initialisation, shuffling, augmentation and dropout.</summary>
    public required int Seed { get; init; }

    /// <summary>The training augmentations that ran, or "none".</summary>
    public required string Augmentation { get; init; }

    /// <summary>What was decided about the activation cache (in memory, file, reused, or why it was off).</summary>
    public required string CacheDecision { get; init; }

    /// <summary>The arithmetic the frozen units ran in: "float32", "bfloat16", or "float32 (bfloat16 unavailable: why)".</summary>
    public string FrozenPrecision { get; init; } = "float32";

    /// <summary>The early-stopping rule, or "off".</summary>
    public required string EarlyStopping { get; init; }

    /// <summary>Training images in the run (after any validation hold-out).</summary>
    public required int TrainingImages { get; init; }

    /// <summary>Validation images, or null without a validation set.</summary>
    public int? ValidationImages { get; init; }

    /// <summary>Unreadable training images that were skipped.</summary>
    public required int BadImagesSkipped { get; init; }

    /// <summary>The skipped images themselves (source, failure, reason), in index order; empty when none or not recorded.</summary>
    public IReadOnlyList<BadImage> BadImages { get; init; } = [];

    /// <summary>
    /// The folder every training and validation image's source name lies under (for a folder-per-class dataset, its
    /// root), or null when they share none (in-memory images); the report captions images relative to it.
    /// </summary>
    public string? DataRoot { get; init; }

    /// <summary>Threads the kernels used.</summary>
    public required int Threads { get; init; }

    /// <summary>The TransferKit version that trained (the assembly's informational version).</summary>
    public required string LibraryVersion { get; init; }

    /// <summary>When the fit started.</summary>
    public required DateTimeOffset StartedAt { get; init; }
}

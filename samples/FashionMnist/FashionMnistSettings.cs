using TransferKit.Api;

namespace TransferKit.Samples.FashionMnist;

/// <summary>The protocol and training settings of one run of the three models.</summary>
public sealed record FashionMnistSettings
{
    /// <summary>Training images per class, from the official training set.</summary>
    public int TrainPerClass { get; init; } = 200;

    /// <summary>Validation images per class, from the rest of the official training set.</summary>
    public int ValidationPerClass { get; init; } = 100;

    /// <summary>Test images per class, from the official test set.</summary>
    public int TestPerClass { get; init; } = 200;

    /// <summary>Epochs of the baseline, of the frozen run and of the fine-tune's first phase.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Epochs of the fine-tune's second phase (the last units unfrozen).</summary>
    public int UnfrozenEpochs { get; init; } = 3;

    /// <summary>Backbone units unfrozen in the fine-tune's second phase (ResNet-18's last is <c>block9</c>).</summary>
    public int UnfrozenUnits { get; init; } = 1;

    /// <summary>Side the 28 px images are upsampled to for the baseline CNN (ResNet-18 gets its own 224).</summary>
    public int BaselineImageSize { get; init; } = 64;

    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Adam's learning rate (the fine-tune's second phase uses a tenth of it).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>The arithmetic of the frozen units (<see cref="TrainingOptions.FrozenPrecision"/>) and of the test predictions.</summary>
    public InferencePrecision Precision { get; init; }

    /// <summary>Seed of the split, the initialisation and the shuffling.</summary>
    public int Seed { get; init; } = 1;
}

using TransferKit.Training.Freezing;

namespace TransferKit.Samples.Cifar10;

/// <summary>
/// Sizes of one CIFAR-10 run. The defaults are the offline synthetic demo's, chosen to finish in about 10 seconds on
/// 2 cores; tests shrink them further, and <c>--data</c> raises them to the seed article's 224 px.
/// </summary>
public sealed record Cifar10Settings
{
    /// <summary>Side of the square network input in pixels; the 32 px images are upsampled to it (the seed article: 224).</summary>
    public int ImageSize { get; init; } = 64;

    /// <summary>Training epochs.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Which part of ResNet-50 stays frozen (default: the whole backbone, so only the head trains).</summary>
    public FreezeDepth Freeze { get; init; } = FreezeDepth.Backbone;

    /// <summary>Seed of initialisation, shuffling, dropout and the synthetic images.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Synthetic training images per class (10 classes); unused with real data.</summary>
    public int TrainPerClass { get; init; } = 50;

    /// <summary>Synthetic validation images per class; unused with real data.</summary>
    public int ValidationPerClass { get; init; } = 10;

    /// <summary>Synthetic test images per class; unused with real data.</summary>
    public int TestPerClass { get; init; } = 20;
}

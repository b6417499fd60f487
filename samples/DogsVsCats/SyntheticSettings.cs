namespace TransferKit.Samples.DogsVsCats;

/// <summary>
/// Sizes of the offline demo: the synthetic source task the backbone is pre-trained on and the synthetic cats-and-dogs
/// target task. Tests shrink them to run in seconds.
/// </summary>
public sealed record SyntheticSettings
{
    /// <summary>Channels of the small baseline-CNN backbone.</summary>
    public IReadOnlyList<int> BackboneChannels { get; init; } = [16, 32, 64];

    /// <summary>Source-task images per class (12 classes).</summary>
    public int SourcePerClass { get; init; } = 600;

    /// <summary>Source-task epochs.</summary>
    public int SourceEpochs { get; init; } = 30;

    /// <summary>Target training images per class.</summary>
    public int TrainPerClass { get; init; } = 20;

    /// <summary>Target validation images per class.</summary>
    public int ValidationPerClass { get; init; } = 50;

    /// <summary>Target test images per class.</summary>
    public int TestPerClass { get; init; } = 500;

    /// <summary>Unlabelled images written to the synthetic Kaggle <c>test1/</c> folder.</summary>
    public int UnlabeledImages { get; init; } = 10;

    /// <summary>Settings of the target runs.</summary>
    public ExperimentSettings Target { get; init; } = new();
}

namespace TransferKit.Samples.DogsVsCats;

/// <summary>
/// Training settings shared by every candidate of one comparison. The defaults are the offline demo's, taken from
/// TransferLearningTests (32 px images, 15 epochs, batch 16, Adam at 3e-3 and 1e-3 for fine-tuning).
/// </summary>
public sealed record ExperimentSettings
{
    /// <summary>Square input size in pixels.</summary>
    public int ImageSize { get; init; } = 32;

    /// <summary>Epochs of every target run.</summary>
    public int Epochs { get; init; } = 15;

    /// <summary>Mini-batch size of every target run.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Learning rate of the baseline and of the frozen-backbone run.</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>Learning rate of the fine-tuned run (lower: it moves pre-trained weights).</summary>
    public double FineTuneLearningRate { get; init; } = 1e-3;

    /// <summary>Seed of initialisation, shuffling and dropout.</summary>
    public int Seed { get; init; } = 2;

    /// <summary>How many test images to predict and show at the end.</summary>
    public int PredictionsShown { get; init; } = 6;
}

namespace TransferKit.Models;

/// <summary>
/// The layer table of a VGG network (Simonyan and Zisserman 2014, "Very Deep Convolutional Networks for Large-Scale
/// Image Recognition", Table 1): blocks of 3x3 convolutions (padding 1, each followed by ReLU), each block closed by a
/// 2x2 max pool; then adaptive average pooling to 7 x 7 and the classifier
/// [Linear(C·7·7, hidden), ReLU, Dropout, Linear(hidden, hidden), ReLU, Dropout, Linear(hidden, classes)].
/// Configuration D, "64, 64, M, 128, 128, M, 256 x 3, M, 512 x 3, M, 512 x 3, M", is VGG-16.
/// </summary>
/// <param name="Blocks">Output channels of each convolution, grouped by the max pool that ends each block.</param>
/// <param name="HiddenFeatures">Width of the two hidden classifier layers (4096 in the paper).</param>
/// <param name="Dropout">Dropout probability in the classifier (0.5 in the paper and torchvision).</param>
public sealed record VggConfig(IReadOnlyList<IReadOnlyList<int>> Blocks, int HiddenFeatures = 4096, float Dropout = 0.5f)
{
    /// <summary>The spatial size the adaptive average pool produces before the classifier.</summary>
    public const int PooledSize = 7;

    /// <summary>VGG-16, configuration D: 13 convolutions in five blocks.</summary>
    public static VggConfig Vgg16 { get; } = new([[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]]);

    /// <summary>Channels of the last convolution (512 for VGG-16).</summary>
    public int FeatureChannels => Blocks[^1][^1];

    /// <summary>Inputs of the first classifier layer: <see cref="FeatureChannels"/> x 7 x 7 (25,088 for VGG-16).</summary>
    public int ClassifierInputFeatures => FeatureChannels * PooledSize * PooledSize;

    /// <summary>Checks the table.</summary>
    /// <exception cref="ArgumentException">A block is empty, a width is not positive, or the dropout is outside [0, 1).</exception>
    public void Validate()
    {
        if (Blocks is null || Blocks.Count == 0 || Blocks.Any(b => b is null || b.Count == 0))
            throw new ArgumentException("VggConfig.Blocks needs at least one block, each with at least one convolution.", nameof(Blocks));
        if (Blocks.Any(b => b.Any(c => c < 1)))
            throw new ArgumentException("VggConfig.Blocks: every convolution needs a positive channel count.", nameof(Blocks));
        if (HiddenFeatures < 1)
            throw new ArgumentException($"VggConfig.HiddenFeatures must be positive, got {HiddenFeatures}.", nameof(HiddenFeatures));
        if (Dropout is < 0f or >= 1f)
            throw new ArgumentException($"VggConfig.Dropout must be in [0, 1), got {Dropout}.", nameof(Dropout));
    }
}

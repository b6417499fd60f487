using TransferKit.Nn;

namespace TransferKit.Models;

/// <summary>
/// Everything known about one architecture, in one record: how to build it, its input and preprocessing, its size, its
/// published ImageNet accuracy with the source, its feature dimension and head, and its ordered freezable units.
/// Compare architectures in code through the <c>Architectures</c> catalog.
/// </summary>
public sealed record ArchitectureInfo
{
    /// <summary>torchvision's builder name: <c>resnet50</c>, <c>mobilenet_v2</c>, <c>efficientnet_b0</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Family for grouping: ResNet, MobileNet, EfficientNet, Inception, VGG, DenseNet.</summary>
    public required string Family { get; init; }

    /// <summary>Builds the network with freshly initialised weights and a head of <c>classes</c> outputs (1000 for ImageNet).</summary>
    public required Func<int, int, ConvNet> Create { get; init; }

    /// <summary>Evaluation preprocessing of the reference (torchvision) weights.</summary>
    public required PreprocessingSpec Preprocessing { get; init; }

    /// <summary>Learnable parameters with the 1000-class head (BN running statistics not counted).</summary>
    public required long ParameterCount { get; init; }

    /// <summary>Learnable parameters without the head module (<c>fc.*</c> or <c>classifier.*</c>).</summary>
    public required long ParameterCountWithoutHead { get; init; }

    /// <summary>Multiply-add count in billions for one image at <see cref="PreprocessingSpec.InputSize"/>, as torchvision reports GFLOPS.</summary>
    public required double GigaFlops { get; init; }

    /// <summary>Size of the float32 weights file in MB (10^6 bytes).</summary>
    public double FileSizeMegabytes => ParameterCount * 4 / 1e6;

    /// <summary>Published ImageNet-1k top-1 accuracy in percent.</summary>
    public required double Top1 { get; init; }

    /// <summary>Published ImageNet-1k top-5 accuracy in percent.</summary>
    public required double Top5 { get; init; }

    /// <summary>Where <see cref="Top1"/> and <see cref="Top5"/> come from (torchvision's weights table and which weights).</summary>
    public required string AccuracySource { get; init; }

    /// <summary>Channels of the final feature map (the head's input after global pooling).</summary>
    public required int FeatureDimension { get; init; }

    /// <summary>Name of the head module: <c>fc</c> or <c>classifier</c>.</summary>
    public required string HeadName { get; init; }

    /// <summary>The freezable units' names in forward order.</summary>
    public required IReadOnlyList<string> Units { get; init; }

    /// <summary>Builds a 1000-class network with seed 0.</summary>
    public ConvNet CreateImageNet() => Create(1000, 0);

    /// <summary>Formats as the name.</summary>
    public override string ToString() => Name;
}

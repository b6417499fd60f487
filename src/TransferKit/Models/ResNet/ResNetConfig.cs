namespace TransferKit.Models;

/// <summary>
/// The stage table of a ResNet, as in He et al. 2015 ("Deep Residual Learning for Image Recognition"), Table 1:
/// four stages (<c>layer1</c>..<c>layer4</c>, the paper's conv2_x..conv5_x) of <see cref="BlocksPerStage"/> blocks each,
/// with <see cref="Width"/> x 1, 2, 4, 8 planes; the first block of stages 2..4 halves the resolution.
/// torchvision's variant (v1.5) puts that stride on the 3x3 convolution of a bottleneck rather than on its first 1x1.
/// </summary>
/// <param name="Block">Basic (two 3x3) or bottleneck (1x1, 3x3, 1x1 with expansion 4) blocks.</param>
/// <param name="BlocksPerStage">Blocks in each of the four stages, e.g. [3, 4, 6, 3] for ResNet-50.</param>
/// <param name="Width">Channels of the stem and planes of the first stage (64 in the paper); smaller values build tiny test networks.</param>
public sealed record ResNetConfig(ResNetBlockKind Block, IReadOnlyList<int> BlocksPerStage, int Width = 64)
{
    /// <summary>ResNet-18: basic blocks [2, 2, 2, 2].</summary>
    public static ResNetConfig ResNet18 { get; } = new(ResNetBlockKind.Basic, [2, 2, 2, 2]);

    /// <summary>ResNet-34: basic blocks [3, 4, 6, 3].</summary>
    public static ResNetConfig ResNet34 { get; } = new(ResNetBlockKind.Basic, [3, 4, 6, 3]);

    /// <summary>ResNet-50: bottlenecks [3, 4, 6, 3].</summary>
    public static ResNetConfig ResNet50 { get; } = new(ResNetBlockKind.Bottleneck, [3, 4, 6, 3]);

    /// <summary>ResNet-101: bottlenecks [3, 4, 23, 3].</summary>
    public static ResNetConfig ResNet101 { get; } = new(ResNetBlockKind.Bottleneck, [3, 4, 23, 3]);

    /// <summary>ResNet-152: bottlenecks [3, 8, 36, 3].</summary>
    public static ResNetConfig ResNet152 { get; } = new(ResNetBlockKind.Bottleneck, [3, 8, 36, 3]);

    /// <summary>Output channels of a block per plane: 1 for basic blocks, 4 for bottlenecks.</summary>
    public int Expansion => Block == ResNetBlockKind.Bottleneck ? 4 : 1;

    /// <summary>Planes of stage <paramref name="stage"/> (0-based): <see cref="Width"/> x 2^stage.</summary>
    public int Planes(int stage) => Width << stage;

    /// <summary>Channels of the final feature map: 8 x <see cref="Width"/> x <see cref="Expansion"/> (512 or 2048).</summary>
    public int FeatureChannels => Planes(3) * Expansion;

    /// <summary>Checks the table.</summary>
    /// <exception cref="ArgumentException">There are not four stages, a stage has no block, or the width is not positive.</exception>
    public void Validate()
    {
        if (BlocksPerStage is null || BlocksPerStage.Count != 4)
            throw new ArgumentException($"ResNetConfig.BlocksPerStage must list four stages, got {BlocksPerStage?.Count ?? 0}.", nameof(BlocksPerStage));
        if (BlocksPerStage.Any(b => b < 1))
            throw new ArgumentException($"ResNetConfig.BlocksPerStage must be at least 1 per stage, got [{string.Join(", ", BlocksPerStage)}].", nameof(BlocksPerStage));
        if (Width < 1) throw new ArgumentException($"ResNetConfig.Width must be positive, got {Width}.", nameof(Width));
    }
}

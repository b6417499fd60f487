namespace TransferKit.Models;

/// <summary>
/// One EfficientNet stage: <paramref name="Layers"/> MBConv blocks (before the depth multiplier) with expansion
/// <paramref name="ExpandRatio"/> and a <paramref name="Kernel"/> x <paramref name="Kernel"/> depthwise conv; the first
/// block goes from <paramref name="InputChannels"/> to <paramref name="OutputChannels"/> with stride
/// <paramref name="Stride"/>, the others keep the channels with stride 1. Channels are before the width multiplier.
/// </summary>
/// <param name="ExpandRatio">Expansion of the hidden channels (1 skips the expanding 1x1 conv).</param>
/// <param name="Kernel">Depthwise kernel size.</param>
/// <param name="Stride">Stride of the first block (1 or 2).</param>
/// <param name="InputChannels">Input channels of the first block.</param>
/// <param name="OutputChannels">Output channels of every block.</param>
/// <param name="Layers">Number of blocks at depth multiplier 1.</param>
public sealed record MBConvStage(double ExpandRatio, int Kernel, int Stride, int InputChannels, int OutputChannels, int Layers)
{
    /// <summary>
    /// The EfficientNet-B0 baseline: Tan &amp; Le 2019, "EfficientNet: Rethinking Model Scaling for Convolutional Neural
    /// Networks", Table 1, stages 2 to 8 (MBConv1 k3x3 16, MBConv6 k3x3 24 x2, MBConv6 k5x5 40 x2, MBConv6 k3x3 80 x3,
    /// MBConv6 k5x5 112 x3, MBConv6 k5x5 192 x4, MBConv6 k3x3 320), with the strides torchvision uses. 16 blocks.
    /// B1..B7 scale it with width and depth multipliers.
    /// </summary>
    public static IReadOnlyList<MBConvStage> B0 { get; } =
    [
        new(1, 3, 1, 32, 16, 1),
        new(6, 3, 2, 16, 24, 2),
        new(6, 5, 2, 24, 40, 2),
        new(6, 3, 2, 40, 80, 3),
        new(6, 5, 1, 80, 112, 3),
        new(6, 5, 2, 112, 192, 4),
        new(6, 3, 1, 192, 320, 1),
    ];
}

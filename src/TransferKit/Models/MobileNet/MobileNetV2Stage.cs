namespace TransferKit.Models;

/// <summary>
/// One row of the MobileNetV2 body: <paramref name="Repeats"/> inverted-residual blocks with expansion
/// <paramref name="ExpandRatio"/> and <paramref name="Channels"/> output channels (before the width multiplier); the
/// first block has stride <paramref name="Stride"/>, the others 1.
/// </summary>
/// <param name="ExpandRatio">t: hidden channels = input channels * t (1 skips the expanding 1x1 conv).</param>
/// <param name="Channels">c: output channels at width 1.</param>
/// <param name="Repeats">n: number of blocks.</param>
/// <param name="Stride">s: stride of the first block (1 or 2).</param>
public sealed record MobileNetV2Stage(int ExpandRatio, int Channels, int Repeats, int Stride)
{
    /// <summary>
    /// The ImageNet body: Sandler et al. 2018, "MobileNetV2: Inverted Residuals and Linear Bottlenecks", Table 2
    /// (t, c, n, s), the rows between the 32-channel stem and the 1280-channel 1x1 conv. 17 blocks.
    /// </summary>
    public static IReadOnlyList<MobileNetV2Stage> ImageNet { get; } =
    [
        new(1, 16, 1, 1),
        new(6, 24, 2, 2),
        new(6, 32, 3, 2),
        new(6, 64, 4, 2),
        new(6, 96, 3, 1),
        new(6, 160, 3, 2),
        new(6, 320, 1, 1),
    ];
}

namespace TransferKit.Models;

/// <summary>
/// One MobileNetV3 bottleneck (a row of Howard et al. 2019, Tables 1 and 2), channel counts before the width multiplier.
/// </summary>
/// <param name="InputChannels">Input channels.</param>
/// <param name="Kernel">Depthwise kernel size (3 or 5).</param>
/// <param name="ExpandedChannels">"exp size": channels after the expanding 1x1 conv (equal to the input: no expanding conv).</param>
/// <param name="OutputChannels">"#out": channels after the projection.</param>
/// <param name="SqueezeExcite">"SE": whether a squeeze-and-excite follows the depthwise conv.</param>
/// <param name="Hardswish">"NL": true for hard-swish (HS), false for ReLU (RE).</param>
/// <param name="Stride">"s": stride of the depthwise conv (1 or 2).</param>
/// <param name="Dilation">Dilation of the depthwise conv; above 1 the stride is dropped (torchvision's dilated variant). Default 1.</param>
public sealed record MobileNetV3BlockSpec(
    int InputChannels, int Kernel, int ExpandedChannels, int OutputChannels, bool SqueezeExcite, bool Hardswish, int Stride, int Dilation = 1)
{
    /// <summary>
    /// MobileNetV3-Large: Howard et al. 2019, "Searching for MobileNetV3", Table 1, the 15 bneck rows between the
    /// 16-channel hard-swish stem and the 960-channel 1x1 conv (torchvision's <c>_mobilenet_v3_conf("mobilenet_v3_large")</c>).
    /// </summary>
    public static IReadOnlyList<MobileNetV3BlockSpec> Large { get; } =
    [
        new(16, 3, 16, 16, false, false, 1),
        new(16, 3, 64, 24, false, false, 2),
        new(24, 3, 72, 24, false, false, 1),
        new(24, 5, 72, 40, true, false, 2),
        new(40, 5, 120, 40, true, false, 1),
        new(40, 5, 120, 40, true, false, 1),
        new(40, 3, 240, 80, false, true, 2),
        new(80, 3, 200, 80, false, true, 1),
        new(80, 3, 184, 80, false, true, 1),
        new(80, 3, 184, 80, false, true, 1),
        new(80, 3, 480, 112, true, true, 1),
        new(112, 3, 672, 112, true, true, 1),
        new(112, 5, 672, 160, true, true, 2),
        new(160, 5, 960, 160, true, true, 1),
        new(160, 5, 960, 160, true, true, 1),
    ];
}

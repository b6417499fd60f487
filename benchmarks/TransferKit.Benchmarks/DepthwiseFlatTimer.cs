using TransferKit.Kernels.Convolution;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>depthwise-flat</c>: MobileNetV2's and EfficientNet-B0's depthwise convolutions on small planes at batch 16, on the
/// phase split and on the flat plane with one copy per kernel column (<see cref="DepthwiseFlatPlan"/>), interleaved in
/// one process; <c>depthwise-flat-networks [networks] [batch]</c> the same switch on whole networks.
/// </summary>
internal static class DepthwiseFlatTimer
{
    public static int RunConvs(string[] args)
    {
        ConvShape[] shapes =
        [
            new("mnv2 dw 3x3 960 @7", 16, 960, 960, 7, 3, 1, 960),
            new("mnv2 dw 3x3 576 @14", 16, 576, 576, 14, 3, 1, 576),
            new("mnv2 dw 3x3 s2 576 @14", 16, 576, 576, 14, 3, 2, 576),
            new("mnv2 dw 3x3 192 @28", 16, 192, 192, 28, 3, 1, 192),
            new("mnv2 dw 3x3 s2 192 @28", 16, 192, 192, 28, 3, 2, 192),
            new("mnv2 dw 3x3 144 @56", 16, 144, 144, 56, 3, 1, 144),
            new("mnv2 dw 3x3 s2 144 @56", 16, 144, 144, 56, 3, 2, 144),
            new("effb0 dw 5x5 s2 240 @28", 16, 240, 240, 28, 5, 2, 240),
            new("effb0 dw 5x5 480 @14", 16, 480, 480, 14, 5, 1, 480),
            new("effb0 dw 5x5 1152 @7", 16, 1152, 1152, 7, 5, 1, 1152),
            new("effb0 dw 5x5 672 @14", 16, 672, 672, 14, 5, 1, 672),
            new("effb0 dw 5x5 s2 672 @14", 16, 672, 672, 14, 5, 2, 672),
        ];
        return ConvSettingsTimer.Run(shapes, [false, true], Switch, Label);
    }

    public static int RunNetworks(string[] args) =>
        NetworkSettingsTimer.Run(args, [false, true], flat => DepthwiseFlatPlan.Enabled = flat, Label);

    private static IDisposable? Switch(bool flat)
    {
        DepthwiseFlatPlan.Enabled = flat;
        return null;
    }

    private static string Label(bool flat) => flat ? "flat plane" : "phase split";
}

using TransferKit.Kernels.Convolution;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>depthwise-direct</c>: MobileNetV2's and EfficientNet-B0's depthwise convolutions at batch 16 read straight from the
/// input wherever it can (<see cref="DepthwiseDirectConv2d.Forced"/>, the flat layout switched off) or without it (the
/// flat plane on small planes, the phase split elsewhere), interleaved in one process; <c>depthwise-direct-networks [networks] [batch]</c> the same switch on
/// whole networks, the kernel taken where it is preferred or nowhere.
/// </summary>
internal static class DepthwiseDirectTimer
{
    public static int RunConvs(string[] args)
    {
        ConvShape[] shapes =
        [
            new("mnv2 dw 3x3 32 @112", 16, 32, 32, 112, 3, 1, 32),
            new("mnv2 dw 3x3 s2 96 @112", 16, 96, 96, 112, 3, 2, 96),
            new("mnv2 dw 3x3 144 @56", 16, 144, 144, 56, 3, 1, 144),
            new("mnv2 dw 3x3 s2 144 @56", 16, 144, 144, 56, 3, 2, 144),
            new("mnv2 dw 3x3 192 @28", 16, 192, 192, 28, 3, 1, 192),
            new("mnv2 dw 3x3 s2 192 @28", 16, 192, 192, 28, 3, 2, 192),
            new("mnv2 dw 3x3 576 @14", 16, 576, 576, 14, 3, 1, 576),
            new("mnv2 dw 3x3 s2 576 @14", 16, 576, 576, 14, 3, 2, 576),
            new("mnv2 dw 3x3 960 @7", 16, 960, 960, 7, 3, 1, 960),
            new("effb0 dw 5x5 s2 144 @56", 16, 144, 144, 56, 5, 2, 144),
            new("effb0 dw 5x5 240 @28", 16, 240, 240, 28, 5, 1, 240),
            new("effb0 dw 5x5 s2 240 @28", 16, 240, 240, 28, 5, 2, 240),
            new("effb0 dw 5x5 672 @14", 16, 672, 672, 14, 5, 1, 672),
            new("effb0 dw 5x5 s2 672 @14", 16, 672, 672, 14, 5, 2, 672),
            new("effb0 dw 5x5 1152 @7", 16, 1152, 1152, 7, 5, 1, 1152),
        ];
        return ConvSettingsTimer.Run(shapes, [false, true], Switch, Label);
    }

    /// <summary>
    /// <c>depthwise-channels-last [convs | networks [networks] [batch]]</c>: small-plane depthwise convolutions with the
    /// channels in the lanes (<see cref="DepthwiseChannelsLastConv2d"/>) or on the layouts before it.
    /// </summary>
    public static int RunChannelsLast(string[] args)
    {
        if (args.Length > 1 && args[1] == "networks")
            return NetworkSettingsTimer.Run([args[0], .. args.Skip(2)], [false, true], last => DepthwiseChannelsLastConv2d.Enabled = last,
                last => last ? "channels last" : "flat or phase split");
        ConvShape[] shapes =
        [
            new("mnv2 dw 3x3 960 @7", 16, 960, 960, 7, 3, 1, 960),
            new("mnv2 dw 3x3 576 @14", 16, 576, 576, 14, 3, 1, 576),
            new("mnv2 dw 3x3 s2 576 @14", 16, 576, 576, 14, 3, 2, 576),
            new("mnv2 dw 3x3 384 @14", 16, 384, 384, 14, 3, 1, 384),
            new("mnv2 dw 3x3 192 @28", 16, 192, 192, 28, 3, 1, 192),
            new("mnv2 dw 3x3 s2 192 @28", 16, 192, 192, 28, 3, 2, 192),
            new("effb0 dw 5x5 s2 240 @28", 16, 240, 240, 28, 5, 2, 240),
            new("effb0 dw 5x5 672 @14", 16, 672, 672, 14, 5, 1, 672),
            new("effb0 dw 5x5 s2 672 @14", 16, 672, 672, 14, 5, 2, 672),
            new("effb0 dw 5x5 1152 @7", 16, 1152, 1152, 7, 5, 1, 1152),
            new("effb0 dw 3x3 1152 @7 b1", 1, 1152, 1152, 7, 3, 1, 1152),
            new("mnv2 dw 3x3 960 @7 b1", 1, 960, 960, 7, 3, 1, 960),
            new("mnv2 dw 3x3 960 @7 b4", 4, 960, 960, 7, 3, 1, 960),
            new("mnv2 dw 3x3 576 @14 b4", 4, 576, 576, 14, 3, 1, 576),
            new("mnv2 dw 3x3 576 @14 b2", 2, 576, 576, 14, 3, 1, 576),
        ];
        return ConvSettingsTimer.Run(shapes, [false, true], last =>
        {
            DepthwiseChannelsLastConv2d.Enabled = last;
            return null;
        }, last => last ? "channels last" : "flat or phases");
    }

    public static int RunNetworks(string[] args) =>
        NetworkSettingsTimer.Run(args, [false, true], direct => DepthwiseDirectConv2d.Enabled = direct,
            direct => direct ? "direct where preferred" : "no direct kernel");

    private static IDisposable? Switch(bool direct)
    {
        DepthwiseDirectConv2d.Enabled = direct;
        DepthwiseDirectConv2d.Forced = direct;
        DepthwiseFlatPlan.Enabled = !direct;
        return null;
    }

    private static string Label(bool direct) => direct ? "read directly" : "flat or phase split";
}

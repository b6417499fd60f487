using TransferKit.Kernels.Convolution;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>depthwise-split [buffer | networks [networks] [batch]]</c>: MobileNetV2's and EfficientNet-B0's stride-2 depthwise convolutions at batch 16 with
/// one strided gather per column phase and with both column phases filled in one deinterleaving pass
/// (<see cref="DepthwisePlan.DeinterleaveColumnPairs"/>), or with <c>buffer</c> the deinterleave straight from the rows
/// and, where the rule takes it, through a zero-padded row buffer (<see cref="DepthwisePlan.SplitsThroughRowBuffer"/>),
/// interleaved in one process.
/// </summary>
internal static class DepthwiseSplitTimer
{
    public static int Run(string[] args)
    {
        if (args.Length > 1 && args[1] == "networks")
        {
            return NetworkSettingsTimer.Run(["depthwise-split", .. args.Skip(2)], [false, true],
                through => DepthwisePlan.SplitsThroughRowBuffer = through, through => through ? "row buffer" : "direct");
        }
        ConvShape[] shapes =
        [
            new("mnv2 dw 3x3 s2 96 @112", 16, 96, 96, 112, 3, 2, 96),
            new("mnv2 dw 3x3 s2 144 @56", 16, 144, 144, 56, 3, 2, 144),
            new("mnv2 dw 3x3 s2 192 @28", 16, 192, 192, 28, 3, 2, 192),
            new("effb0 dw 5x5 s2 144 @56", 16, 144, 144, 56, 5, 2, 144),
            new("effb0 dw 3x3 s2 96 @112", 16, 96, 96, 112, 3, 2, 96),
            new("effb0 dw 3x3 s2 240 @28", 16, 240, 240, 28, 3, 2, 240),
        ];
        if (args.Contains("buffer"))
        {
            return ConvSettingsTimer.Run(shapes, [false, true], through =>
            {
                DepthwisePlan.SplitsThroughRowBuffer = through;
                return null;
            }, through => through ? "row buffer" : "direct");
        }
        return ConvSettingsTimer.Run(shapes, [false, true], deinterleave =>
        {
            DepthwisePlan.DeinterleaveColumnPairs = deinterleave;
            return null;
        }, deinterleave => deinterleave ? "deinterleave" : "per-phase gather");
    }
}

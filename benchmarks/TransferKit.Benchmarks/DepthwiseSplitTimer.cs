using TransferKit.Kernels.Convolution;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>depthwise-split</c>: MobileNetV2's and EfficientNet-B0's stride-2 depthwise convolutions at batch 16 with one
/// strided gather per column phase and with both column phases filled in one deinterleaving pass
/// (<see cref="DepthwisePlan.DeinterleaveColumnPairs"/>), interleaved in one process.
/// </summary>
internal static class DepthwiseSplitTimer
{
    public static int Run(string[] args)
    {
        ConvShape[] shapes =
        [
            new("mnv2 dw 3x3 s2 96 @112", 16, 96, 96, 112, 3, 2, 96),
            new("mnv2 dw 3x3 s2 144 @56", 16, 144, 144, 56, 3, 2, 144),
            new("mnv2 dw 3x3 s2 192 @28", 16, 192, 192, 28, 3, 2, 192),
            new("effb0 dw 5x5 s2 144 @56", 16, 144, 144, 56, 5, 2, 144),
        ];
        return ConvSettingsTimer.Run(shapes, [false, true], deinterleave =>
        {
            DepthwisePlan.DeinterleaveColumnPairs = deinterleave;
            return null;
        }, deinterleave => deinterleave ? "deinterleave" : "per-phase gather");
    }
}

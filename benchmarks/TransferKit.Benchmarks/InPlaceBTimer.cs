using TransferKit.Kernels.Gemm;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>b-in-place</c>: 1x1 convolutions with few output channels (MobileNetV2's and EfficientNet-B0's projections,
/// ResNet-50's reductions) with B packed or read in place (<see cref="BlockedGemm{TKernel}.ReadsBInPlace"/>), weights
/// kept, interleaved in one process; <c>b-in-place-networks [networks] [batch]</c> the same switch on whole networks.
/// </summary>
internal static class InPlaceBTimer
{
    public static int RunConvs(string[] args)
    {
        ConvShape[] shapes =
        [
            new("mnv2 1x1 96->24 @56", 16, 96, 24, 56, 1, 1),
            new("mnv2 1x1 144->24 @56", 16, 144, 24, 56, 1, 1),
            new("mnv2 1x1 144->32 @28", 16, 144, 32, 28, 1, 1),
            new("mnv2 1x1 192->32 @28", 16, 192, 32, 28, 1, 1),
            new("mnv2 1x1 32->16 @112 (too shallow)", 16, 32, 16, 112, 1, 1),
            new("effb0 1x1 144->40 @28", 16, 144, 40, 28, 1, 1),
            new("effb0 1x1 240->40 @28", 16, 240, 40, 28, 1, 1),
            new("r50 1x1 256->64 @56", 16, 256, 64, 56, 1, 1),
            new("r50 1x1 64->64 @56", 16, 64, 64, 56, 1, 1),
            new("dn121 1x1 256->128 @56 (too many rows)", 16, 256, 128, 56, 1, 1),
            new("r50 7x7 3->64 /2 stem", 16, 3, 64, 224, 7, 2),
            new("r18 3x3 64->64 @56", 16, 64, 64, 56, 3, 1),
            new("dn121 3x3 128->32 @28", 16, 128, 32, 28, 3, 1),
        ];
        return ConvSettingsTimer.Run(shapes, [false, true], Switch, Label, keepWeights: true);
    }

    public static int RunNetworks(string[] args) =>
        NetworkSettingsTimer.Run(args, [false, true], on => Switch(on), Label);

    private static IDisposable? Switch(bool on)
    {
        BlockedGemm<MicroKernel512>.BInPlace = on;
        BlockedGemm<MicroKernel256>.BInPlace = on;
        return null;
    }

    private static string Label(bool on) => on ? "B in place" : "B packed";
}

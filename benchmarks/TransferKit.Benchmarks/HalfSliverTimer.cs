using TransferKit.Kernels.Gemm;

namespace TransferKit.Benchmarks;

/// <summary>
/// The AVX2 kernel's last sliver of at most 8 columns computed as half a tile, or of at most 4 as a quarter
/// (<see cref="MicroKernel256.RunHalf"/>, <see cref="MicroKernel256.RunQuarter"/>), or as a whole one, interleaved in one process:
/// <list type="bullet">
/// <item><c>half-sliver-convs [batch]</c>: 1x1 convolutions on 7x7 and 14x14 planes (49 and 196 columns an image) at batch 1
/// by default;</item>
/// <item><c>half-sliver-networks [networks] [batch]</c>: whole eval forwards, batch 1 by default.</item>
/// </list>
/// </summary>
internal static class HalfSliverTimer
{
    public static int RunConvs(string[] args)
    {
        int batch = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
        ConvShape[] shapes =
        [
            new("r50 1x1 2048->512 @7", batch, 2048, 512, 7, 1, 1),
            new("r50 1x1 512->2048 @7", batch, 512, 2048, 7, 1, 1),
            new("mb 1x1 160->960 @7", batch, 160, 960, 7, 1, 1),
            new("mb 1x1 960->160 @7", batch, 960, 160, 7, 1, 1),
            new("mb 1x1 96->576 @14", batch, 96, 576, 14, 1, 1),
            new("mb 1x1 576->96 @14", batch, 576, 96, 14, 1, 1),
            new("dn 1x1 512->128 @7", batch, 512, 128, 7, 1, 1),
        ];
        return ConvSettingsTimer.Run(shapes, [false, true], narrow =>
        {
            BlockedGemm<MicroKernel256>.NarrowLastSlivers = narrow;
            return null;
        }, Label, keepWeights: true);
    }

    public static int RunNetworks(string[] args) =>
        NetworkSettingsTimer.Run(args.Length > 2 ? args : [.. args, .. (args.Length > 1 ? new[] { "1" } : ["resnet50,mobilenet_v2,densenet121", "1"])],
            [false, true], narrow => BlockedGemm<MicroKernel256>.NarrowLastSlivers = narrow, Label);

    private static string Label(bool narrow) => narrow ? "half or quarter tile" : "whole tile";
}

using TransferKit.Api;
using TransferKit.Kernels.Convolution;

namespace TransferKit.Benchmarks;

/// <summary>
/// Convolutions run image by image with their weights packed once per call or once per image
/// (<see cref="Conv2dKernel.PacksWeightsOnce"/>), interleaved in one process:
/// <list type="bullet">
/// <item><c>packed-weights-convs [bf16]</c>: ResNet-50's and MobileNetV2's convolutions at batch 16 that run image by image;</item>
/// <item><c>packed-weights-networks [networks] [batch] [bf16]</c>: whole eval forwards.</item>
/// </list>
/// <c>bf16</c> runs both settings under <see cref="InferencePrecision.BFloat16"/>, where packing also narrows.
/// </summary>
internal static class PackedWeightsTimer
{
    public static int RunConvs(string[] args)
    {
        using var precision = EnterPrecision(args);
        ConvShape[] shapes =
        [
            new("r50 stem 7x7 s2 3->64 @224", 16, 3, 64, 224, 7, 2),
            new("r50 1x1 64->256 @56", 16, 64, 256, 56, 1, 1),
            new("r50 3x3 s2 128 @56", 16, 128, 128, 56, 3, 2),
            new("r50 1x1 512->128 @28", 16, 512, 128, 28, 1, 1),
            new("r50 3x3 s2 256 @28", 16, 256, 256, 28, 3, 2),
            new("r50 1x1 1024->256 @14", 16, 1024, 256, 14, 1, 1),
            new("r50 1x1 256->1024 @14", 16, 256, 1024, 14, 1, 1),
            new("r50 1x1 2048->512 @7", 16, 2048, 512, 7, 1, 1),
            new("mb 1x1 32->192 @28", 16, 32, 192, 28, 1, 1),
            new("mb 1x1 320->1280 @7", 16, 320, 1280, 7, 1, 1),
        ];
        return ConvSettingsTimer.Run(shapes, [false, true], once =>
        {
            Conv2dKernel.PacksWeightsOnce = once;
            return null;
        }, Label);
    }

    public static int RunNetworks(string[] args) =>
        NetworkSettingsTimer.Run(args, [false, true], once => Conv2dKernel.PacksWeightsOnce = once, Label);

    private static IDisposable? EnterPrecision(string[] args) =>
        args.Contains("bf16") ? InferencePrecisionSupport.Enter(InferencePrecision.BFloat16) : null;

    private static string Label(bool once) => once ? "packed once" : "packed per image";
}

/// <summary>
/// <c>epilogue-networks [networks] [batch] [bf16]</c>: whole eval forwards with the fused epilogue applied to the AVX-512
/// or AVX2 kernel's accumulators and as a pass over each stored tile (<see cref="Kernels.Gemm.BlockedGemm{TKernel}.EpilogueInRegisters"/>),
/// interleaved in one process.
/// </summary>
internal static class EpilogueTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run(args, [false, true],
            inRegisters =>
            {
                Kernels.Gemm.BlockedGemm<Kernels.Gemm.MicroKernel512>.EpilogueInRegisters = inRegisters;
                Kernels.Gemm.BlockedGemm<Kernels.Gemm.MicroKernel256>.EpilogueInRegisters = inRegisters;
            },
            inRegisters => inRegisters ? "in registers" : "pass over the tile");
}

/// <summary>
/// <c>unstacked-networks [networks] [batch]</c>: whole eval forwards with 1x1 convolutions on small planes run image by
/// image (<see cref="Kernels.Convolution.Conv2dKernel.UnstackedPointwise"/>) and stacked into one product, interleaved.
/// </summary>
internal static class UnstackedPointwiseTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run(args, [false, true], unstacked => Kernels.Convolution.Conv2dKernel.UnstackedPointwise = unstacked,
            unstacked => unstacked ? "image by image" : "stacked");
}

/// <summary>
/// <c>prefetch-networks [networks] [batch] [bf16]</c>: whole eval forwards with the AVX-512 GEMM tiles asking for their C
/// and residual lines before their products (<see cref="Kernels.Gemm.MicroKernel512.PrefetchesTileRows"/>) and without,
/// interleaved in one process.
/// </summary>
internal static class TilePrefetchTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run(args, [false, true], prefetch => Kernels.Gemm.MicroKernel512.PrefetchesTileRows = prefetch,
            prefetch => prefetch ? "tile rows prefetched" : "not prefetched");
}

/// <summary>
/// <c>bf16-prefetch-networks [networks] [batch]</c>: whole eval forwards in bfloat16 with the bfloat16 GEMM's tiles
/// prefetching their residual rows (<see cref="Kernels.Gemm.BFloat16MicroKernel.PrefetchesResidualRows"/>) or not,
/// interleaved in one process.
/// </summary>
internal static class BFloat16TilePrefetchTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run([.. args, "bf16"], [false, true], prefetch => Kernels.Gemm.BFloat16MicroKernel.PrefetchesResidualRows = prefetch,
            prefetch => prefetch ? "residual prefetched" : "not prefetched");
}

/// <summary>
/// <c>bf16-epilogue-networks [networks] [batch]</c>: whole eval forwards in bfloat16 with the bfloat16 GEMM's epilogue
/// inside its precompiled kernel (<see cref="Kernels.Gemm.BFloat16MicroKernel.FusesEpilogue"/>) or applied after it,
/// interleaved in one process.
/// </summary>
internal static class BFloat16EpilogueTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run([.. args, "bf16"], [false, true], fused => Kernels.Gemm.BFloat16MicroKernel.FusesEpilogue = fused,
            fused => fused ? "epilogue in the kernel" : "after the kernel");
}

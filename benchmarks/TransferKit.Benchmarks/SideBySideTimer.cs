using TransferKit.Kernels.Convolution;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>side-by-side</c>: 1x1 convolutions on planes that fill their 32-column slivers badly (7x7, 14x14, 17x17), at
/// batch 16, image by image or with the images side by side as one product (<see cref="Kernels.Gemm.ImageColumns"/>),
/// and stacked im2col products (stride 2 onto 14x14 and 7x7) through a staging matrix or stored in place,
/// with the weights' packed panels kept across calls as folded inference keeps them, interleaved in one process; <c>side-by-side-networks [networks] [batch]</c> the same switch on whole networks.
/// </summary>
internal static class SideBySideTimer
{
    public static int RunConvs(string[] args)
    {
        ConvShape[] shapes =
        [
            new("r50 1x1 2048->512 @7", 16, 2048, 512, 7, 1, 1),
            new("r50 1x1 512->2048 @7", 16, 512, 2048, 7, 1, 1),
            new("r50 1x1 1024->256 @14", 16, 1024, 256, 14, 1, 1),
            new("r50 1x1 256->1024 @14", 16, 256, 1024, 14, 1, 1),
            new("mnv2 1x1 960->160 @7", 16, 960, 160, 7, 1, 1),
            new("mnv2 1x1 160->960 @7", 16, 160, 960, 7, 1, 1),
            new("mnv2 1x1 96->576 @14", 16, 96, 576, 14, 1, 1),
            new("mnv2 1x1 576->96 @14", 16, 576, 96, 14, 1, 1),
            new("effb0 1x1 80->480 @14", 16, 80, 480, 14, 1, 1),
            new("effb0 1x1 480->80 @14", 16, 480, 80, 14, 1, 1),
            new("effb0 1x1 672->112 @14", 16, 672, 112, 14, 1, 1),
            new("effb0 1x1 1152->192 @7", 16, 1152, 192, 7, 1, 1),
            new("effb0 1x1 192->1152 @7", 16, 192, 1152, 7, 1, 1),
            new("effb0 1x1 320->1280 @7", 16, 320, 1280, 7, 1, 1),
            new("inc3 1x1 768->192 @17", 16, 768, 192, 17, 1, 1),
            new("dn121 1x1 512->128 @14", 16, 512, 128, 14, 1, 1),
            new("r50 3x3 s2 256 @28 (stacked im2col)", 16, 256, 256, 28, 3, 2),
            new("r50 3x3 s2 512 @14 (stacked im2col)", 16, 512, 512, 14, 3, 2),
            new("r50 1x1 s2 1024->2048 @14 (stacked)", 16, 1024, 2048, 14, 1, 2),
        ];
        return ConvSettingsTimer.Run(shapes, [false, true], Switch, Label, keepWeights: true);
    }

    public static int RunNetworks(string[] args) =>
        NetworkSettingsTimer.Run(args, [false, true], on => Conv2dKernel.SideBySideImages = on, Label);

    private static IDisposable? Switch(bool on)
    {
        Conv2dKernel.SideBySideImages = on;
        return null;
    }

    private static string Label(bool on) => on ? "side by side" : "image by image";
}

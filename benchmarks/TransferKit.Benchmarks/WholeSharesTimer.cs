using TransferKit.Kernels.Convolution;

namespace TransferKit.Benchmarks;

/// <summary>
/// Work handed to the threads in whole shares (<c>Parallelism.ForWhole</c>) against each piece split across the threads
/// in turn, interleaved in one process:
/// <list type="bullet">
/// <item><c>whole-shares winograd</c>: a Winograd block's 16 products (<see cref="WinogradConv2d.WholeProductsPerThread"/>),
/// at the baseline CNN's shapes (batch 32) and ResNet's (batch 16);</item>
/// <item><c>whole-shares im2col</c>: the images of a one-image-per-GEMM im2col or 1x1 convolution
/// (<see cref="Conv2dKernel.WholeImagesPerThread"/>, with <see cref="Conv2dKernel.UnstackedPointwise"/>), at the
/// baseline CNN's first two layers and ResNet's stem and stride-2 layers;</item>
/// <item><c>whole-shares-networks winograd|im2col [networks] [batch]</c>: either setting on whole eval forwards.</item>
/// </list>
/// </summary>
internal static class WholeSharesTimer
{
    public static int RunConvs(string[] args)
    {
        bool winograd = Which(args);
        ConvShape[] shapes = winograd
            ?
            [
                new("baseline 64->128 @32", 32, 64, 128, 32, 3, 1),
                new("baseline 128->256 @16", 32, 128, 256, 16, 3, 1),
                new("resnet 64 @56", 16, 64, 64, 56, 3, 1),
                new("resnet 128 @28", 16, 128, 128, 28, 3, 1),
                new("resnet 256 @14", 16, 256, 256, 14, 3, 1),
            ]
            :
            [
                new("baseline 3->32 @128", 32, 3, 32, 128, 3, 1),
                new("baseline 32->64 @64", 32, 32, 64, 64, 3, 1),
                new("resnet stem 7x7 s2 3->64 @224", 16, 3, 64, 224, 7, 2),
                new("resnet 3x3 s2 128 @56", 16, 128, 128, 56, 3, 2),
                new("resnet 3x3 s2 256 @28", 16, 256, 256, 28, 3, 2),
            ];
        return ConvSettingsTimer.Run(shapes, [false, true], whole =>
        {
            Apply(winograd, whole);
            return null;
        }, Label);
    }

    public static int RunNetworks(string[] args)
    {
        bool winograd = Which(args);
        return NetworkSettingsTimer.Run(args[1..], [false, true], whole => Apply(winograd, whole), Label);
    }

    private static bool Which(string[] args) =>
        (args.Length > 1 ? args[1] : "") switch
        {
            "winograd" => true,
            "im2col" => false,
            _ => throw new ArgumentException("Name the setting: winograd or im2col."),
        };

    private static void Apply(bool winograd, bool whole)
    {
        if (winograd)
        {
            Conv2dKernel.ForwardAlgorithm = Conv2dForwardAlgorithm.Auto;
            WinogradConv2d.WholeProductsPerThread = whole;
        }
        else
        {
            Conv2dKernel.WholeImagesPerThread = whole;
            Conv2dKernel.UnstackedPointwise = whole;
        }
    }

    private static string Label(bool whole) => whole ? "whole shares" : "each piece split";
}

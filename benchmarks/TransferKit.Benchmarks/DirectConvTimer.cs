using System.Globalization;
using TransferKit.Kernels.Convolution;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>direct-convs [strided] [batch]</c>: 3x3 stride-1 convolutions of ResNet, DenseNet, Inception-v3 and the
/// baseline CNN (with <c>strided</c>: the stems, stride-2 and 5x5 convolutions) on the direct kernel (<see cref="Conv2dForwardAlgorithm.Direct"/>) and on the path <c>Auto</c> picks
/// without it (Winograd or im2col; <see cref="Conv2dKernel.DirectInAuto"/> off), interleaved in one process. With a
/// batch given, every shape runs at that batch (1 for latency).
/// </summary>
internal static class DirectConvTimer
{
    public static int Run(string[] args)
    {
        bool strided = args.Length > 1 && args[1] == "strided";
        int? batch = args.Length > (strided ? 2 : 1) ? int.Parse(args[strided ? 2 : 1], CultureInfo.InvariantCulture) : null;
        ConvShape[] shapes = strided ?
        [
            new("resnet stem 7x7 s2 3->64 @224", 16, 3, 64, 224, 7, 2),
            new("mobilenet stem 3x3 s2 3->32 @224", 16, 3, 32, 224, 3, 2),
            new("resnet18 3x3 s2 64->128 @56", 16, 64, 128, 56, 3, 2),
            new("resnet50 3x3 s2 128 @56", 16, 128, 128, 56, 3, 2),
            new("resnet50 3x3 s2 256 @28", 16, 256, 256, 28, 3, 2),
            new("resnet50 3x3 s2 512 @14", 16, 512, 512, 14, 3, 2),
            new("inception 5x5 48->64 @35", 16, 48, 64, 35, 5, 1),
        ] :
        [
            new("resnet 64 @56", 16, 64, 64, 56, 3, 1),
            new("resnet 128 @28", 16, 128, 128, 28, 3, 1),
            new("resnet 256 @14", 16, 256, 256, 14, 3, 1),
            new("resnet 512 @7", 16, 512, 512, 7, 3, 1),
            new("densenet 128->32 @56", 16, 128, 32, 56, 3, 1),
            new("densenet 128->32 @28", 16, 128, 32, 28, 3, 1),
            new("densenet 128->32 @14", 16, 128, 32, 14, 3, 1),
            new("densenet 128->32 @7", 16, 128, 32, 7, 3, 1),
            new("inception 64->96 @35", 16, 64, 96, 35, 3, 1),
            new("inception 32->64 @147", 16, 32, 64, 147, 3, 1),
            new("baseline 3->32 @128", 32, 3, 32, 128, 3, 1),
            new("baseline 32->64 @64", 32, 32, 64, 64, 3, 1),
            new("baseline 64->128 @32", 32, 64, 128, 32, 3, 1),
            new("baseline 128->256 @16", 32, 128, 256, 16, 3, 1),
        ];
        if (batch is { } n) shapes = [.. shapes.Select(s => s with { N = n })];
        var previous = Conv2dKernel.ForwardAlgorithm;
        Conv2dKernel.DirectInAuto = false;
        int result = ConvSettingsTimer.Run(shapes, [Conv2dForwardAlgorithm.Auto, Conv2dForwardAlgorithm.Direct], algorithm =>
        {
            Conv2dKernel.ForwardAlgorithm = algorithm;
            return null;
        }, algorithm => algorithm == Conv2dForwardAlgorithm.Direct ? "direct" : "auto");
        Conv2dKernel.ForwardAlgorithm = previous;
        Conv2dKernel.DirectInAuto = true;
        return result;
    }
}

/// <summary>
/// <c>direct-networks [networks] [batch] [bf16]</c>: whole eval forwards with <c>Auto</c> free to pick the direct kernel
/// (<see cref="Conv2dKernel.DirectInAuto"/>) and without it, interleaved in one process.
/// </summary>
internal static class DirectNetworkTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run(args, [false, true], direct => Conv2dKernel.DirectInAuto = direct, direct => direct ? "with direct" : "without");
}

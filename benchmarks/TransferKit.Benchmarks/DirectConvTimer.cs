using System.Globalization;
using TransferKit.Api;
using TransferKit.Kernels.Convolution;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>direct-convs [strided] [batch] [kept] [only=NAME]</c>: 3x3 stride-1 convolutions of ResNet, DenseNet, Inception-v3 and the
/// baseline CNN (with <c>strided</c>: the stems, stride-2, 5x5 and Inception's 1x7, 7x1, 1x3 and small-plane convolutions) on the direct kernel (<see cref="Conv2dForwardAlgorithm.Direct"/>) and on the path <c>Auto</c> picks
/// without it (Winograd or im2col; <see cref="Conv2dKernel.DirectInAuto"/> off), interleaved in one process. With a
/// batch given, every shape runs at that batch (1 for latency).
/// </summary>
internal static class DirectConvTimer
{
    public static int Run(string[] args)
    {
        ConvShape[] shapes = Shapes(args);
        var previous = Conv2dKernel.ForwardAlgorithm;
        Conv2dKernel.DirectInAuto = false;
        int result = ConvSettingsTimer.Run(shapes, [Conv2dForwardAlgorithm.Auto, Conv2dForwardAlgorithm.Direct], algorithm =>
        {
            Conv2dKernel.ForwardAlgorithm = algorithm;
            return null;
        }, algorithm => algorithm == Conv2dForwardAlgorithm.Direct ? "direct" : "auto", keepWeights: args.Contains("kept"));
        Conv2dKernel.ForwardAlgorithm = previous;
        Conv2dKernel.DirectInAuto = true;
        return result;
    }

    /// <summary>
    /// <c>bf16-direct-convs [strided] [batch] [kept]</c>: the same convolutions, all inside a bfloat16 scope, on Auto's
    /// path without the direct kernel (bfloat16 products, Winograd or im2col), on the float32 direct kernel and on the
    /// bfloat16 one (<see cref="BFloat16DirectKernel"/>); with <c>kept</c>, each setting's forms of the weights are
    /// prepared once (<see cref="PreparedConvWeights"/>), as in folded inference.
    /// </summary>
    public static int RunBFloat16(string[] args)
    {
        if (!BFloat16DirectKernel.IsAvailable)
        {
            Console.Error.WriteLine($"bfloat16 is unavailable here: {InferencePrecisionSupport.UnavailableReason(InferencePrecision.BFloat16)}");
            return 1;
        }
        var previous = Conv2dKernel.ForwardAlgorithm;
        int result = ConvSettingsTimer.Run(Shapes(args), ["auto", "fp32-direct", "bf16-direct"], setting =>
        {
            Conv2dKernel.DirectInAuto = false;
            Conv2dKernel.ForwardAlgorithm = setting == "auto" ? Conv2dForwardAlgorithm.Auto : Conv2dForwardAlgorithm.Direct;
            BFloat16DirectKernel.Enabled = setting == "bf16-direct";
            return InferencePrecisionSupport.Enter(InferencePrecision.BFloat16);
        }, setting => setting, keepWeights: args.Contains("kept"));
        Conv2dKernel.ForwardAlgorithm = previous;
        Conv2dKernel.DirectInAuto = true;
        BFloat16DirectKernel.Enabled = true;
        return result;
    }

    internal static ConvShape[] Shapes(string[] args)
    {
        bool strided = args.Contains("strided");
        int? batch = args.Skip(1).Where(a => a.All(char.IsAsciiDigit)).Select(a => (int?)int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault();
        ConvShape[] shapes = strided ?
        [
            new("resnet stem 7x7 s2 3->64 @224", 16, 3, 64, 224, 7, 2),
            new("mobilenet stem 3x3 s2 3->32 @224", 16, 3, 32, 224, 3, 2),
            new("resnet18 3x3 s2 64->128 @56", 16, 64, 128, 56, 3, 2),
            new("resnet50 3x3 s2 128 @56", 16, 128, 128, 56, 3, 2),
            new("resnet50 3x3 s2 256 @28", 16, 256, 256, 28, 3, 2),
            new("resnet50 3x3 s2 512 @14", 16, 512, 512, 14, 3, 2),
            new("inception 5x5 48->64 @35", 16, 48, 64, 35, 5, 1),
            new("inception 1x7 128 @17", 16, 128, 128, 17, 1, 1, KW: 7),
            new("inception 7x1 192 @17", 16, 192, 192, 17, 7, 1, KW: 1),
            new("inception 1x7 160 @17", 16, 160, 160, 17, 1, 1, KW: 7),
            new("inception 7x1 160->192 @17", 16, 160, 192, 17, 7, 1, KW: 1),
            new("inception 1x7 192 @17", 16, 192, 192, 17, 1, 1, KW: 7),
            new("inception 3x1 384 @8", 16, 384, 384, 8, 3, 1, KW: 1),
            new("inception 1x3 384 @8", 16, 384, 384, 8, 1, 1, KW: 3),
            new("inception 3x3 448->384 @8", 16, 448, 384, 8, 3, 1),
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
        // only=TEXT keeps the shapes whose name contains TEXT.
        if (args.FirstOrDefault(a => a.StartsWith("only=", StringComparison.Ordinal)) is { } only)
            shapes = [.. shapes.Where(s => s.Name.Contains(only["only=".Length..], StringComparison.Ordinal))];
        return shapes;
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

/// <summary>
/// <c>bf16-direct-networks [networks] [batch]</c>: whole eval forwards in bfloat16 with the bfloat16 direct kernel
/// (<see cref="BFloat16DirectKernel"/>, and Auto's rule for it) and without it (the float32 kernel on narrow layers, as
/// before it existed), interleaved in one process.
/// </summary>
internal static class BFloat16DirectNetworkTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run([.. args, "bf16"], [false, true], on => BFloat16DirectKernel.Enabled = on, on => on ? "bf16 direct" : "fp32 direct");
}

/// <summary>
/// <c>vertical-direct-networks [networks] [batch] [bf16]</c>: whole eval forwards with K x 1 stride-1 layers on the
/// direct kernel (<see cref="Conv2dKernel.VerticalKernelsDirect"/>) and on im2col, interleaved in one process.
/// </summary>
internal static class VerticalDirectNetworkTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run(args, [false, true], on => Conv2dKernel.VerticalKernelsDirect = on, on => on ? "7x1 direct" : "7x1 im2col");
}

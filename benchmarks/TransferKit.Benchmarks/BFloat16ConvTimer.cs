using TransferKit.Api;
using TransferKit.Kernels.Convolution;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>bf16-convs [auto|im2col|winograd]</c>: ResNet and MobileNetV2 convolutions at batch 16 in float32 and in bfloat16
/// (<see cref="InferencePrecision.BFloat16"/>), interleaved in one process. Shows where the bfloat16 products pay and
/// where the rest of the convolution (packing, transforms, im2col) dominates.
/// </summary>
internal static class BFloat16ConvTimer
{
    public static int Run(string[] args)
    {
        if (!InferencePrecisionSupport.IsAvailable(InferencePrecision.BFloat16))
        {
            Console.Error.WriteLine($"bfloat16 is unavailable here: {InferencePrecisionSupport.UnavailableReason(InferencePrecision.BFloat16)}");
            return 1;
        }
        if (args.Length > 1) Conv2dKernel.ForwardAlgorithm = Conv2dKernel.ParseAlgorithm(args[1]);
        ConvShape[] shapes =
        [
            new("r50 1x1 64->256 @56", 16, 64, 256, 56, 1, 1),
            new("r50 1x1 256->64 @56", 16, 256, 64, 56, 1, 1),
            new("r50 3x3 64->64 @56", 16, 64, 64, 56, 3, 1),
            new("r50 3x3 s2 128 @56", 16, 128, 128, 56, 3, 2),
            new("r50 3x3 128 @28", 16, 128, 128, 28, 3, 1),
            new("r50 1x1 512->128 @28", 16, 512, 128, 28, 1, 1),
            new("r50 3x3 256 @14", 16, 256, 256, 14, 3, 1),
            new("r50 1x1 1024->256 @14", 16, 1024, 256, 14, 1, 1),
            new("r50 3x3 512 @7", 16, 512, 512, 7, 3, 1),
            new("r50 1x1 2048->512 @7", 16, 2048, 512, 7, 1, 1),
            new("r50 stem 7x7 s2 3->64 @224", 16, 3, 64, 224, 7, 2),
            new("mb 1x1 16->96 @112", 16, 16, 96, 112, 1, 1),
            new("mb 1x1 32->192 @28", 16, 32, 192, 28, 1, 1),
            new("mb 1x1 320->1280 @7", 16, 320, 1280, 7, 1, 1),
        ];
        return ConvSettingsTimer.Run(shapes, [InferencePrecision.Float32, InferencePrecision.BFloat16],
            InferencePrecisionSupport.Enter, p => p == InferencePrecision.BFloat16 ? "bf16" : "fp32");
    }
}

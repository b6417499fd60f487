using TransferKit.Kernels.Convolution;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>pointwise-depthwise-networks [networks] [batch] [bf16]</c>: MobileNetV2 and EfficientNet-B0 with the expansion and
/// depthwise convolution of their 112x112 blocks image by image (<see cref="Conv2dKernel.FusesPointwiseDepthwise"/>) or
/// each over the whole batch, interleaved in one process.
/// </summary>
internal static class PointwiseDepthwiseTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run(args.Length > 1 ? args : [.. args, "mobilenet_v2,efficientnet_b0"], [false, true],
            imageByImage => Conv2dKernel.PointwiseDepthwiseImageByImage = imageByImage,
            imageByImage => imageByImage ? "image by image" : "whole batch each");
}

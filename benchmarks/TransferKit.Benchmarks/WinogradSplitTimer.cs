using TransferKit.Kernels.Convolution;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>winograd-split</c>: Winograd convolutions (the baseline CNN's at batch 32, ResNet's at batch 16) with each of a
/// block's 16 products split across the threads in turn, and with the products handed to the threads whole
/// (<see cref="WinogradConv2d.SplitProductsAcrossThreads"/>), interleaved in one process.
/// <c>winograd-split-networks [networks] [batch]</c>: the same two settings on whole eval forwards.
/// </summary>
internal static class WinogradSplitTimer
{
    public static int Run(string[] args)
    {
        ConvShape[] shapes =
        [
            new("baseline 64->128 @32", 32, 64, 128, 32, 3, 1),
            new("baseline 128->256 @16", 32, 128, 256, 16, 3, 1),
            new("resnet 64 @56", 16, 64, 64, 56, 3, 1),
            new("resnet 128 @28", 16, 128, 128, 28, 3, 1),
            new("resnet 256 @14", 16, 256, 256, 14, 3, 1),
        ];
        return ConvSettingsTimer.Run(shapes, [false, true], whole =>
        {
            Conv2dKernel.ForwardAlgorithm = Conv2dForwardAlgorithm.Winograd;
            WinogradConv2d.SplitProductsAcrossThreads = whole;
            return null;
        }, whole => whole ? "whole products" : "each product split");
    }

    public static int RunNetworks(string[] args) =>
        NetworkSettingsTimer.Run(args, [false, true], whole => WinogradConv2d.SplitProductsAcrossThreads = whole,
            whole => whole ? "whole products" : "each product split");
}

using TransferKit.Models;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>dense-normalize-networks [networks] [batch]</c>: DenseNet with each layer's first batch norm and ReLU applied as
/// its 1x1 convolution's GEMM packs the input (<see cref="DenseLayer.NormalizesInProduct"/>) or as a pass of its own
/// before it, interleaved in one process.
/// </summary>
internal static class DenseNormalizeTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run(args.Length > 1 ? args : [.. args, "densenet121"], [false, true], inProduct => DenseLayer.NormalizesInProduct = inProduct,
            inProduct => inProduct ? "normalised in the product" : "normalised first");
}

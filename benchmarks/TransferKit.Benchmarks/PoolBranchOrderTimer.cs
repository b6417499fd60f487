using TransferKit.Models.Inception;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>pool-branch-order-networks [networks] [batch]</c>: Inception-v3's pool branches pooling their input before the 1x1
/// convolution, as torchvision does, or convolving first and pooling the fewer output channels
/// (<see cref="BasicConv2d.ForwardAfterAveragePool"/>), interleaved in one process.
/// </summary>
internal static class PoolBranchOrderTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run(args.Length > 1 ? args : [.. args, "inception_v3"], [false, true], after => BasicConv2d.PoolsAfterConvolution = after,
            after => after ? "conv then pool" : "pool then conv");
}

using TransferKit.Kernels.Convolution;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>prefetch-packing-networks [networks] [batch] [bf16]</c>: whole networks with B packing prefetching each row's next
/// sliver and the stride-2 deinterleave prefetching 4 KB ahead, or neither, interleaved in one process.
/// </summary>
internal static class PackingPrefetchTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run(args, [false, true], on =>
        {
            Kernels.Gemm.SliverPrefetch.Enabled = on;
            StridedGather.PrefetchesAhead = on;
        }, on => on ? "packing prefetched" : "not prefetched");
}

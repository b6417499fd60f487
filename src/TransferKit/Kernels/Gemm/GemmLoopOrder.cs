namespace TransferKit.Kernels.Gemm;

/// <summary>
/// The order of the two innermost block loops of <see cref="BlockedGemm{TKernel}"/>. The classic order (each packed B
/// sliver in turn, then every A panel) keeps a sliver in L1 while a long k block streams through; but when k is short,
/// the micro-kernel is bound by its C stores, and that order writes a 32-column strip down every row of C at once,
/// a store stream per row. Row panels outermost instead write 8 rows of C from left to right across the whole packed
/// B block, which stays in L2 at these k. Measured at batch 16 on the 2-core AMD EPYC (AVX-512, 2 threads, both orders
/// interleaved in one process): MobileNetV2's 1x1 16-&gt;96 at 112 px 11.0 to 5.1 ms, 24-&gt;144 at 56 px 4.7 to 3.3 ms,
/// ResNet-50's 1x1 64-&gt;256 at 56 px 13.6 to 10.9 ms; but 32-&gt;192 at 28 px (392 columns a thread) 1.12 to 1.37 ms,
/// hence the minimum width. Re-measure with `dotnet run -c Release --project benchmarks/TransferKit.Benchmarks -- gemm-order-convs`
/// and `-- gemm-order-networks`.
/// </summary>
internal static class GemmLoopOrder
{
    /// <summary>Longest k block that takes the row-panel order.</summary>
    internal static int RowOuterMaxK { get; set; } = 256;

    /// <summary>Fewest columns of C in the block for the row-panel order.</summary>
    internal static int RowOuterMinN { get; set; } = 1024;

    /// <summary>Whether a block of <paramref name="kc"/> by <paramref name="nc"/> runs its row panels outermost.</summary>
    internal static bool RowPanelsOutermost(int kc, int nc) => kc <= RowOuterMaxK && nc >= RowOuterMinN;
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// The prefetch of B packing (fp32 <c>PackB</c> and bfloat16 <see cref="BFloat16Pairs.PackRows"/>). Packing reads each of
/// kc rows a sliver at a time, sliver after sliver: kc streams, more than the hardware prefetcher follows, and B is usually
/// cold (a layer's input, written a batch earlier). So while one sliver is copied, the same row's next sliver is asked
/// for. 1x1 layers at batch 16 ran 1.06x-1.15x faster with it. B read in place (<see cref="BlockedGemm{TKernel}.ReadsBInPlace"/>)
/// has its rows asked for two slivers ahead the same way.
/// </summary>
internal static unsafe class SliverPrefetch
{
    /// <summary>Whether packing prefetches; benchmarks switch it off to compare.</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>Whether a sliver at column <paramref name="col"/> of <paramref name="nc"/> has a next one to prefetch.</summary>
    public static bool Applies(int col, int width, int nc) => Sse.IsSupported && Enabled && col + width < nc;

    /// <summary>
    /// Asks for the <paramref name="width"/> floats at <paramref name="rows"/> in each of <paramref name="count"/> rows
    /// <paramref name="stride"/> floats apart: a sliver of B that the kernel will read in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows(float* rows, int count, nint stride, int width)
    {
        for (int p = 0; p < count; p++, rows += stride)
            for (int j = 0; j < width; j += 16) Sse.Prefetch0(rows + j);
    }

    /// <summary>Asks for the <paramref name="width"/> floats after a row's current sliver at <paramref name="sliverStart"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Next(float* sliverStart, int width)
    {
        for (int j = 0; j < width; j += 16) Sse.Prefetch0(sliverStart + width + j);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// An 8 x 32 tile from bfloat16 pairs with <c>vdpbf16ps</c> (two multiply-adds per fp32 lane, accumulated in fp32): the
/// layout of <see cref="MicroKernel512"/> with each k step holding two values of k, so twice its arithmetic per
/// instruction. The code is precompiled (<see cref="BFloat16MicroKernelCode"/>); use it only where
/// <see cref="BFloat16Gemm.IsAvailable"/>.
/// </summary>
internal readonly unsafe struct BFloat16MicroKernel : IGemmMicroKernel
{
    public static int Mr => 8;

    public static int Nr => 32;

    public static bool PacksBFloat16Pairs => true;

    /// <summary>
    /// Whether full tiles of the last k block apply the epilogue (bias, residual, identity, ReLU, ReLU6 or SiLU) on the
    /// accumulators inside the precompiled kernel instead of reading C back after it; benchmarks turn it off to compare.
    /// </summary>
    internal static bool FusesEpilogue { get; set; } = true;

    /// <summary>
    /// Whether a tile at least <see cref="PrefetchMinSlots"/> deep whose epilogue adds a residual first asks for the
    /// lines of the residual and of C, so that their misses overlap the products instead of following them: the
    /// residual is read cold at the end of the tile, and C's lines are fetched before they are written. Measured
    /// 2026-12-07 (<c>bf16-prefetch-networks</c>, batch 16): with the epilogue after the kernel ResNet-50 1.04x-1.07x and
    /// MobileNetV2 1.03x-1.05x, with it inside ResNet-50 1.02x-1.09x and the others within noise. Prefetching C in every
    /// tile as well ran ResNet-50 1.10x-1.13x but ResNet-18 0.94x-0.95x and EfficientNet-B0 0.97x. Benchmarks turn it
    /// off to compare.
    /// </summary>
    internal static bool PrefetchesResidualRows { get; set; } = true;

    /// <summary>Least depth in slots (pairs of k) for which the tile prefetches its residual rows.</summary>
    internal const int PrefetchMinSlots = 32;

    /// <summary>Asks for the 8 rows of 32 floats at <paramref name="rows"/>, <paramref name="stride"/> floats apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PrefetchRows(float* rows, long stride)
    {
        for (int i = 0; i < 8; i++)
        {
            float* row = rows + i * stride;
            Sse.Prefetch0(row);
            Sse.Prefetch0(row + 16);
        }
    }

    /// <summary>C = A·B + beta·C over <paramref name="kc"/> slots of bfloat16 pairs (see <see cref="IGemmMicroKernel.PacksBFloat16Pairs"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float beta) => BFloat16Gemm.Kernel(kc, a, b, c, ldc, beta);
}

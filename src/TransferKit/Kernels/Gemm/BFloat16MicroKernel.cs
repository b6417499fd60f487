using System.Runtime.CompilerServices;

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

    /// <summary>C = A·B + beta·C over <paramref name="kc"/> slots of bfloat16 pairs (see <see cref="IGemmMicroKernel.PacksBFloat16Pairs"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float beta) => BFloat16Gemm.Kernel(kc, a, b, c, ldc, beta);
}

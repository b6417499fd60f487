using TransferKit.Kernels.Gemm;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// <see cref="DirectConv2d"/>'s register tile on bfloat16 channel pairs: 64 grid positions by
/// <see cref="DirectConv2d.ChannelsPerTile"/> output channels with <c>vdpbf16ps</c>, two input channels per
/// instruction and fp32 accumulation. The code is tools/bfloat16-kernel/bfloat16_direct_kernel.c compiled ahead of time
/// (.NET has no intrinsic for the instruction on these CPUs) and mapped as <see cref="BFloat16Gemm"/>'s is.
/// </summary>
internal static unsafe class BFloat16DirectKernel
{
    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<uint*, nint, int*, nint, nint, uint*, float*, nint, void> s_kernel;

    static BFloat16DirectKernel()
    {
        nint entry = ExecutableCode.TryMapBFloat16(BFloat16DirectKernelCode.X64SystemV, BFloat16DirectKernelCode.Sha256, out _);
        s_kernel = (delegate* unmanaged[Cdecl, SuppressGCTransition]<uint*, nint, int*, nint, nint, uint*, float*, nint, void>)entry;
    }

    /// <summary>Whether the kernel runs here: mapped, and bfloat16 not switched off (<see cref="BFloat16Gemm.SimulateUnavailable"/>).</summary>
    public static bool IsAvailable => s_kernel != null && !BFloat16Gemm.SimulateUnavailable && Enabled;

    /// <summary>Benchmarks turn this off to run the float32 direct kernel inside a bfloat16 scope, as before the kernel existed.</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>
    /// y[j, 0..64) = sum over pairs p and taps t of x[p * pairLength + tapOffsets[t] + 0..64) · w[(p * taps + t) * 5 + j],
    /// each product the two bfloat16 halves of a slot multiplied and added in fp32; <paramref name="y"/>'s rows lie
    /// <paramref name="ldy"/> floats apart. The caller checks <see cref="IsAvailable"/>.
    /// </summary>
    public static void Run(uint* x, int pairLength, int* tapOffsets, int taps, int pairs, uint* w, float* y, int ldy) =>
        s_kernel(x, pairLength, tapOffsets, taps, pairs, w, y, ldy);
}

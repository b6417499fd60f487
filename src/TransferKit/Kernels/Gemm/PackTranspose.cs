using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// An 8 x 8 float transpose in AVX registers, for the packing cases that read across the stored layout (op(B)
/// from a transposed B, micro-panels from an untransposed A). Element by element those run at several cycles per
/// value from scattered stores; in blocks of 8 x 8 they take 24 shuffles per 64 values and whole-row stores.
/// Callers fall back to scalar copies where <see cref="IsSupported"/> is false and for edges.
/// </summary>
internal static unsafe class PackTranspose
{
    /// <summary>Whether <see cref="Block8x8"/> may be called.</summary>
    public static bool IsSupported => Avx.IsSupported;

    /// <summary>
    /// dst[c * dstStride + r] = scale * src[r * srcStride + c] for r, c in 0..8 (scale applied only when
    /// <paramref name="scale"/> is not 1, so the unscaled copy is exact).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block8x8(float* src, nint srcStride, float* dst, nint dstStride, float scale)
    {
        Vector256<float> r0 = Avx.LoadVector256(src);
        Vector256<float> r1 = Avx.LoadVector256(src + srcStride);
        Vector256<float> r2 = Avx.LoadVector256(src + 2 * srcStride);
        Vector256<float> r3 = Avx.LoadVector256(src + 3 * srcStride);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * srcStride);
        Vector256<float> r5 = Avx.LoadVector256(src + 5 * srcStride);
        Vector256<float> r6 = Avx.LoadVector256(src + 6 * srcStride);
        Vector256<float> r7 = Avx.LoadVector256(src + 7 * srcStride);

        // Interleave pairs of rows, then pairs of pairs: within each 128-bit lane, s0..s3 hold columns 0..3
        // of rows 0..3 (low lane: columns 0-3, high lane: columns 4-7) and s4..s7 the same for rows 4..7.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);

        if (scale != 1)
        {
            Vector256<float> v = Vector256.Create(scale);
            s0 *= v; s1 *= v; s2 *= v; s3 *= v; s4 *= v; s5 *= v; s6 *= v; s7 *= v;
        }
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(s3, s7, 0x31));
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// Narrows packed fp32 GEMM panels to the bfloat16 pairs <see cref="BFloat16MicroKernel"/> reads: a panel of kc rows of
/// <c>width</c> floats becomes ceil(kc / 2) rows of <c>width</c> 32-bit slots, slot (q, j) holding row 2q's value in
/// its low half and row 2q + 1's in its high half (zero past an odd kc). Rounding is to nearest, ties to even, as in
/// <see cref="BFloat16Conversion"/>.
/// </summary>
internal static unsafe class BFloat16Pairs
{
    /// <summary>Slots per column of a panel of depth <paramref name="kc"/>.</summary>
    public static int Slots(int kc) => (kc + 1) / 2;

    /// <summary>
    /// Narrows consecutive packed fp32 panels into as many panels of slots.
    /// </summary>
    /// <param name="source">panels x kc x width floats.</param>
    /// <param name="kc">Rows (depth) of each source panel.</param>
    /// <param name="width">Floats per panel row; a multiple of 8.</param>
    /// <param name="panels">How many panels.</param>
    /// <param name="destination">panels x Slots(kc) x width slots.</param>
    public static void Narrow(float* source, int kc, int width, int panels, uint* destination)
    {
        int slots = Slots(kc);
        for (int panel = 0; panel < panels; panel++)
        {
            float* src = source + (long)panel * kc * width;
            uint* dst = destination + (long)panel * slots * width;
            for (int q = 0; q < slots; q++)
            {
                float* even = src + (long)2 * q * width;
                float* odd = 2 * q + 1 < kc ? even + width : null;
                uint* row = dst + (long)q * width;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (int j = 0; j < width; j += 8)
                    {
                        var low = Round(Vector256.Load((uint*)even + j)) >> 16;
                        var high = odd == null ? Vector256<uint>.Zero : Round(Vector256.Load((uint*)odd + j)) & Vector256.Create(0xFFFF0000u);
                        (low | high).Store(row + j);
                    }
                }
                else
                {
                    for (int j = 0; j < width; j++)
                    {
                        uint high = odd == null ? 0u : (uint)BFloat16Conversion.Round(((uint*)odd)[j]) << 16;
                        row[j] = BFloat16Conversion.Round(((uint*)even)[j]) | high;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs and narrows B[pc .. pc+kc, jc .. jc+nc] (stored k x n, row stride <paramref name="ldb"/>) straight into
    /// slivers of <paramref name="width"/> columns of slots, as packing to fp32 and then <see cref="Narrow"/> would, without
    /// the fp32 copy in between: columns past nc are zero.
    /// </summary>
    public static void PackRows(float* b, int ldb, int pc, int kc, int jc, int nc, int width, uint* destination)
    {
        int slots = Slots(kc);
        for (int col = 0; col < nc; col += width)
        {
            int valid = Math.Min(width, nc - col);
            uint* sliver = destination + (long)col * slots;
            for (int q = 0; q < slots; q++)
            {
                float* even = b + (long)(pc + 2 * q) * ldb + jc + col;
                float* odd = 2 * q + 1 < kc ? even + ldb : null;
                uint* row = sliver + (long)q * width;
                int j = 0;
                if (Vector512.IsHardwareAccelerated)
                {
                    for (; j + 16 <= valid; j += 16)
                    {
                        var low = Round(Vector512.Load((uint*)even + j)) >> 16;
                        var high = odd == null ? Vector512<uint>.Zero : Round(Vector512.Load((uint*)odd + j)) & Vector512.Create(0xFFFF0000u);
                        (low | high).Store(row + j);
                    }
                }
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; j + 8 <= valid; j += 8)
                    {
                        var low = Round(Vector256.Load((uint*)even + j)) >> 16;
                        var high = odd == null ? Vector256<uint>.Zero : Round(Vector256.Load((uint*)odd + j)) & Vector256.Create(0xFFFF0000u);
                        (low | high).Store(row + j);
                    }
                }
                for (; j < valid; j++)
                {
                    uint high = odd == null ? 0u : (uint)BFloat16Conversion.Round(((uint*)odd)[j]) << 16;
                    row[j] = BFloat16Conversion.Round(((uint*)even)[j]) | high;
                }
                for (; j < width; j++) row[j] = 0;
            }
        }
    }

    /// <summary>The bfloat16 nearest each float, in the upper 16 bits (the lower 16 are garbage); NaN stays a quiet NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Round(Vector512<uint> bits)
    {
        var rounded = bits + Vector512.Create(0x7FFFu) + ((bits >> 16) & Vector512<uint>.One);
        var nan = Vector512.GreaterThan(bits & Vector512.Create(0x7FFFFFFFu), Vector512.Create(0x7F800000u));
        return Vector512.ConditionalSelect(nan, bits | Vector512.Create(0x00400000u), rounded);
    }

    /// <summary>The bfloat16 nearest each float, in the upper 16 bits (the lower 16 are garbage); NaN stays a quiet NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Round(Vector256<uint> bits)
    {
        var rounded = bits + Vector256.Create(0x7FFFu) + ((bits >> 16) & Vector256<uint>.One);
        var nan = Vector256.GreaterThan(bits & Vector256.Create(0x7FFFFFFFu), Vector256.Create(0x7F800000u));
        return Vector256.ConditionalSelect(nan, bits | Vector256.Create(0x00400000u), rounded);
    }
}

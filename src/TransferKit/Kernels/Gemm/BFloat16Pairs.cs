using System.Runtime.Intrinsics;

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// The bfloat16 pairs <see cref="BFloat16MicroKernel"/> reads: kc rows of <c>width</c> floats become ceil(kc / 2) rows of
/// <c>width</c> 32-bit slots, slot (q, j) holding row 2q's value in its low half and row 2q + 1's in its high half (zero
/// past an odd kc). Rounding is <see cref="BFloat16Conversion"/>'s: to nearest, ties to even, NaN kept.
/// </summary>
internal static unsafe class BFloat16Pairs
{
    /// <summary>Slots per column of a panel of depth <paramref name="kc"/>.</summary>
    public static int Slots(int kc) => (kc + 1) / 2;

    /// <summary>Narrows consecutive packed fp32 panels into as many panels of slots.</summary>
    /// <param name="source">panels x kc x width floats.</param>
    /// <param name="kc">Rows (depth) of each source panel.</param>
    /// <param name="width">Floats per panel row.</param>
    /// <param name="panels">How many panels.</param>
    /// <param name="destination">panels x Slots(kc) x width slots.</param>
    public static void Narrow(float* source, int kc, int width, int panels, uint* destination)
    {
        // A packed panel is a kc x width matrix of one sliver.
        for (int panel = 0; panel < panels; panel++)
            PackRows(source + (long)panel * kc * width, width, 0, kc, 0, width, width, destination + (long)panel * Slots(kc) * width);
    }

    /// <summary>
    /// Packs and narrows B[pc .. pc+kc, jc .. jc+nc] (stored k x n, row stride <paramref name="ldb"/>) straight into
    /// slivers of <paramref name="width"/> columns of slots, as packing to fp32 and then <see cref="Narrow"/> would, without
    /// the fp32 copy in between: columns past nc are zero. A <paramref name="prologue"/> transforms each row's values
    /// (<see cref="GemmPrologue"/>) before they are rounded.
    /// </summary>
    public static void PackRows(float* b, int ldb, int pc, int kc, int jc, int nc, int width, uint* destination, GemmPrologue prologue = default)
    {
        int slots = Slots(kc);
        bool normalizes = !prologue.IsNone;
        float* normalizedEven = stackalloc float[normalizes ? width : 0], normalizedOdd = stackalloc float[normalizes ? width : 0];
        for (int col = 0; col < nc; col += width)
        {
            int valid = Math.Min(width, nc - col);
            uint* sliver = destination + (long)col * slots;
            bool prefetch = SliverPrefetch.Applies(col, width, nc);
            for (int q = 0; q < slots; q++)
            {
                uint* even = (uint*)(b + (long)(pc + 2 * q) * ldb + jc + col);
                uint* odd = 2 * q + 1 < kc ? even + ldb : null;
                if (prefetch)
                {
                    SliverPrefetch.Next((float*)even, width);
                    if (odd != null) SliverPrefetch.Next((float*)odd, width);
                }
                uint* row = sliver + (long)q * width;
                if (normalizes)
                {
                    Normalize(prologue, (float*)even, pc + 2 * q, normalizedEven, valid);
                    even = (uint*)normalizedEven;
                    if (odd != null)
                    {
                        Normalize(prologue, (float*)odd, pc + 2 * q + 1, normalizedOdd, valid);
                        odd = (uint*)normalizedOdd;
                    }
                }
                Interleave(even, odd, row, valid);
                for (int j = valid; j < width; j++) row[j] = 0;
            }
        }
    }

    /// <summary>B row <paramref name="row"/>'s first <paramref name="length"/> values through the prologue.</summary>
    private static void Normalize(in GemmPrologue prologue, float* source, int row, float* destination, int length)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j + 16 <= length; j += 16) prologue.Apply(Vector512.Load(source + j), row).Store(destination + j);
        for (; j < length; j++) destination[j] = prologue.Apply(source[j], row);
    }

    /// <summary>
    /// <paramref name="length"/> slots of one row: slot j holds <paramref name="even"/>[j] rounded to bfloat16 in its
    /// low half and <paramref name="odd"/>[j] in its high half (zero where <paramref name="odd"/> is null). The sources
    /// are float32 bit patterns.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void Interleave(uint* even, uint* odd, uint* row, int length)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + 16 <= length; j += 16)
            {
                var low = BFloat16Conversion.RoundInUpperHalf(Vector512.Load(even + j)) >> 16;
                var high = odd == null ? Vector512<uint>.Zero : BFloat16Conversion.RoundInUpperHalf(Vector512.Load(odd + j)) & Vector512.Create(0xFFFF0000u);
                (low | high).Store(row + j);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + 8 <= length; j += 8)
            {
                var low = BFloat16Conversion.RoundInUpperHalf(Vector256.Load(even + j)) >> 16;
                var high = odd == null ? Vector256<uint>.Zero : BFloat16Conversion.RoundInUpperHalf(Vector256.Load(odd + j)) & Vector256.Create(0xFFFF0000u);
                (low | high).Store(row + j);
            }
        }
        for (; j < length; j++) row[j] = BFloat16Conversion.Round(even[j]) | (odd == null ? 0u : (uint)BFloat16Conversion.Round(odd[j]) << 16);
    }
}

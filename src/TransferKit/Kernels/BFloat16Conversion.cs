using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TransferKit.Kernels;

/// <summary>
/// float32 to and from bfloat16 (the upper 16 bits of a float32: its 8-bit exponent, so float32's whole range, with a
/// 7-bit mantissa, relative error at most 2^-9). Narrowing rounds to nearest, ties to even, as PyTorch's
/// <c>tensor.to(torch.bfloat16)</c> does; NaN stays NaN and infinities stay infinite.
/// </summary>
internal static class BFloat16Conversion
{
    /// <summary>Narrows <paramref name="source"/> into <paramref name="destination"/> (same length).</summary>
    public static void FromSingle(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        if (destination.Length < source.Length) throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        var bits = MemoryMarshal.Cast<float, uint>(source);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            int n = Vector512<uint>.Count;
            for (; i <= bits.Length - (2 * n); i += 2 * n)
            {
                // Round leaves each result in the low 16 bits, which Narrow keeps.
                var lower = Round(Vector512.Create(bits.Slice(i, n)));
                var upper = Round(Vector512.Create(bits.Slice(i + n, n)));
                Vector512.Narrow(lower, upper).CopyTo(destination.Slice(i));
            }
        }

        for (; i < bits.Length; i++) destination[i] = Round(bits[i]);
    }

    /// <summary>Widens <paramref name="source"/> into <paramref name="destination"/> (same length); exact.</summary>
    public static void ToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        if (destination.Length < source.Length) throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        var bits = MemoryMarshal.Cast<float, uint>(destination);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector512<ushort>.Count; i += Vector512<ushort>.Count)
            {
                var (lower, upper) = Vector512.Widen(Vector512.Create(source.Slice(i, Vector512<ushort>.Count)));
                (lower << 16).CopyTo(bits.Slice(i));
                (upper << 16).CopyTo(bits.Slice(i + Vector512<uint>.Count));
            }
        }

        for (; i < source.Length; i++) bits[i] = (uint)source[i] << 16;
    }

    /// <summary>The bfloat16 nearest to the float with these bits (ties to even); NaN becomes a quiet NaN.</summary>
    public static ushort Round(uint bits)
    {
        if ((bits & 0x7FFFFFFFu) > 0x7F800000u) return (ushort)((bits >> 16) | 0x0040u);
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
    }

    private static Vector512<uint> Round(Vector512<uint> bits) => RoundInUpperHalf(bits) >> 16;

    /// <summary>
    /// The bfloat16 nearest each float (ties to even; NaN becomes a quiet NaN) in the upper 16 bits of each lane; the lower
    /// 16 bits are left over from the rounding, so shift or mask them off.
    /// </summary>
    internal static Vector512<uint> RoundInUpperHalf(Vector512<uint> bits)
    {
        var rounded = bits + Vector512.Create(0x7FFFu) + ((bits >> 16) & Vector512<uint>.One);
        var nan = Vector512.GreaterThan(bits & Vector512.Create(0x7FFFFFFFu), Vector512.Create(0x7F800000u));
        return Vector512.ConditionalSelect(nan, bits | Vector512.Create(0x00400000u), rounded);
    }

    /// <inheritdoc cref="RoundInUpperHalf(Vector512{uint})"/>
    internal static Vector256<uint> RoundInUpperHalf(Vector256<uint> bits)
    {
        var rounded = bits + Vector256.Create(0x7FFFu) + ((bits >> 16) & Vector256<uint>.One);
        var nan = Vector256.GreaterThan(bits & Vector256.Create(0x7FFFFFFFu), Vector256.Create(0x7F800000u));
        return Vector256.ConditionalSelect(nan, bits | Vector256.Create(0x00400000u), rounded);
    }
}

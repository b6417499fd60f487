using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TransferKit.Kernels.Elementwise;

/// <summary>
/// Inverted dropout with a counter-based generator: element i's draw is a SplitMix64 hash of (seed, i) alone, so a
/// seed gives the same mask whatever the thread count or chunking, and backward needs only the saved mask.
/// </summary>
public static unsafe class DropoutKernel
{
    /// <summary>
    /// mask[i] = 0 with probability <paramref name="p"/>, else 1 / (1 - p); y = x * mask. With p = 0, y is a copy of x
    /// and the mask is all ones. <paramref name="y"/> may be <paramref name="x"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not in [0, 1), or <paramref name="length"/> is negative.</exception>
    public static void Forward(int length, float p, ulong seed, float* x, float* y, float* mask)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (!(p >= 0f && p < 1f))
            throw new ArgumentOutOfRangeException(nameof(p), p, "The dropout probability must be in [0, 1).");
        if (p == 0f)
        {
            new Span<float>(mask, length).Fill(1f);
            if (x != y) new ReadOnlySpan<float>(x, length).CopyTo(new Span<float>(y, length));
            return;
        }
        float keep = 1f / (1f - p);
        ParallelRanges.Run(length, (s, e) => ForwardRange(s, e, p, keep, seed, x, y, mask));
    }

    /// <summary>gradX += gradY * mask.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static void Backward(int length, float* mask, float* gradY, float* gradX)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ParallelRanges.Run(length, (s, e) =>
        {
            var gx = new Span<float>(gradX + s, e - s);
            TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(gradY + s, e - s), new ReadOnlySpan<float>(mask + s, e - s), gx, gx);
        });
    }

    // Arguments as locals rather than closure fields, so the loop keeps them in registers across the stores.
    // The vector paths hash 16 consecutive indices at once and give bit-identical draws to the scalar path.
    private static void ForwardRange(int start, int end, float p, float keep, ulong seed, float* x, float* y, float* mask)
    {
        int i = start;
        if (PointwiseDriver.Use512)
        {
            var lanes = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7);
            for (; i <= end - 16; i += 16)
            {
                var low = SplitMix64(Vector512.Create(seed), Vector512.Create((ulong)i) + lanes);
                var high = SplitMix64(Vector512.Create(seed), Vector512.Create((ulong)i + 8) + lanes);
                var draws = Vector512.ConvertToSingle(Vector512.Narrow(low >> 40, high >> 40).AsInt32()) * Vector512.Create(1f / (1 << 24));
                var m = Vector512.ConditionalSelect(Vector512.LessThan(draws, Vector512.Create(p)), Vector512<float>.Zero, Vector512.Create(keep));
                Vector512.Store(m, mask + i);
                Vector512.Store(Vector512.Load(x + i) * m, y + i);
            }
        }
        if (PointwiseDriver.Use256)
        {
            var lanes = Vector256.Create(0UL, 1, 2, 3);
            for (; i <= end - 8; i += 8)
            {
                var low = SplitMix64(Vector256.Create(seed), Vector256.Create((ulong)i) + lanes);
                var high = SplitMix64(Vector256.Create(seed), Vector256.Create((ulong)i + 4) + lanes);
                var draws = Vector256.ConvertToSingle(Vector256.Narrow(low >> 40, high >> 40).AsInt32()) * Vector256.Create(1f / (1 << 24));
                var m = Vector256.ConditionalSelect(Vector256.LessThan(draws, Vector256.Create(p)), Vector256<float>.Zero, Vector256.Create(keep));
                Vector256.Store(m, mask + i);
                Vector256.Store(Vector256.Load(x + i) * m, y + i);
            }
        }
        for (; i < end; i++)
        {
            float m = Uniform(seed, (ulong)i) < p ? 0f : keep;
            mask[i] = m;
            y[i] = x[i] * m;
        }
    }

    /// <summary>A uniform draw in [0, 1) on a 2^-24 grid (exact in float) for element <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Uniform(ulong seed, ulong index) => (int)(SplitMix64(seed, index) >> 40) * (1f / (1 << 24));

    /// <summary>
    /// SplitMix64's output for the (index + 1)-th step of a stream that starts at <paramref name="seed"/>: the state
    /// advances by the golden-ratio increment, then Stafford's "Mix13" finaliser scrambles it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong SplitMix64(ulong seed, ulong index)
    {
        ulong z = seed + (index + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> SplitMix64(Vector512<ulong> seed, Vector512<ulong> index)
    {
        var z = seed + (index + Vector512<ulong>.One) * Vector512.Create(0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * Vector512.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ (z >> 27)) * Vector512.Create(0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> SplitMix64(Vector256<ulong> seed, Vector256<ulong> index)
    {
        var z = seed + (index + Vector256<ulong>.One) * Vector256.Create(0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * Vector256.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ (z >> 27)) * Vector256.Create(0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}

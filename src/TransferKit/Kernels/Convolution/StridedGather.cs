using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// dst[i] = src[i * stride]: the horizontal gather of a strided convolution's im2col rows and phase splits.
/// Stride 2 (ResNet and MobileNet downsampling, the 7x7 stem) has a vector path: two loads, two in-register
/// permutes that pick the even lanes, one store per 8 outputs; the stem's im2col was a quarter of its forward time
/// with the scalar loop.
/// </summary>
internal static unsafe class StridedGather
{
    /// <summary>
    /// Floats ahead of its reads that <see cref="Deinterleave"/> and the row copies ask the cache for (4 KB): a stride-2 depthwise layer
    /// reads its input once, cold, and the hardware prefetcher alone left it waiting on memory (MobileNetV2's 96-channel
    /// 112x112 layer at batch 16 ran 1.25x faster with it).
    /// </summary>
    internal const int PrefetchDistance = 1024;

    /// <summary>Whether the stride-2 splits prefetch; benchmarks switch it off to compare.</summary>
    internal static bool PrefetchesAhead { get; set; } = true;

    public static void Copy(float* src, int stride, float* dst, int count)
    {
        int i = 0;
        if (stride == 2 && Vector256.IsHardwareAccelerated)
        {
            var evens = Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6);
            // Each step reads src[2i .. 2i + 15], one past the last element it needs, so stop while that element
            // still belongs to the row: 2i + 15 <= 2 * (count - 1).
            for (; i + 9 <= count; i += 8)
            {
                var a = Vector256.Shuffle(Vector256.Load(src + 2 * i), evens);
                var b = Vector256.Shuffle(Vector256.Load(src + 2 * i + 8), evens);
                Vector256.Create(a.GetLower(), b.GetLower()).Store(dst + i);
            }
        }
        for (; i < count; i++) dst[i] = src[(long)i * stride];
    }

    /// <summary>
    /// dst[0 .. count) = src[0 .. count) in whole vectors, the last one overlapping the one before instead of a scalar
    /// tail (rows under 16 floats go one by one); never reads or writes outside the two ranges. Prefetches 4 KB ahead.
    /// </summary>
    public static void CopyRow(float* src, float* dst, int count)
    {
        if (count < 16 || !Vector512.IsHardwareAccelerated)
        {
            if (count >= 8 && Vector256.IsHardwareAccelerated)
            {
                for (int i = 0; ; i += 8)
                {
                    if (i + 8 > count) i = count - 8;
                    if (Sse.IsSupported && PrefetchesAhead && (i & 15) == 0) Sse.Prefetch0(src + i + PrefetchDistance);
                    Vector256.Load(src + i).Store(dst + i);
                    if (i + 8 == count) return;
                }
            }
            for (int j = 0; j < count; j++) dst[j] = src[j];
            return;
        }
        for (int i = 0; ; i += 16)
        {
            if (i + 16 > count) i = count - 16;
            if (Sse.IsSupported && PrefetchesAhead) Sse.Prefetch0(src + i + PrefetchDistance);
            Vector512.Load(src + i).Store(dst + i);
            if (i + 16 == count) return;
        }
    }

    /// <summary>
    /// Floats <see cref="DeinterleaveRow"/> reads from its source for <paramref name="count"/> outputs: whole pairs of
    /// vectors, past the 2 * count that hold values.
    /// </summary>
    public static int DeinterleaveRowSourceLength(int count) => 2 * Math.Max(16, (count + 15) / 16 * 16);

    /// <summary>
    /// even[i] = src[2i] and odd[i] = src[2i + 1] for i in [0, count), from a source readable for
    /// <see cref="DeinterleaveRowSourceLength"/> floats (a zero-padded row buffer): whole vectors, the last partial one
    /// stored masked; nothing past even[count) or odd[count) is written.
    /// </summary>
    public static void DeinterleaveRow(float* src, float* even, float* odd, int count)
    {
        if (!Avx512F.IsSupported)
        {
            // AVX2: whole vectors inside the padded source, the last partial one element by element.
            int j = Avx2.IsSupported ? DeinterleaveAvx2(src, even, odd, count) : 0;
            for (; j < count; j++)
            {
                even[j] = src[2 * j];
                odd[j] = src[2 * j + 1];
            }
            return;
        }
        var evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var odds = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
        // Reads stay at whole 16-float steps of the source (where PaddedRowCopy stored them) and the last, partial
        // vector is a masked store: an overlapping last step would read across two stores and wait for both.
        for (int i = 0; i < count; i += 16)
        {
            var a = Vector512.Load(src + 2 * i);
            var b = Vector512.Load(src + 2 * i + 16);
            var e = Avx512F.PermuteVar16x32x2(a, evens, b);
            var o = Avx512F.PermuteVar16x32x2(a, odds, b);
            if (i + 16 <= count)
            {
                e.Store(even + i);
                o.Store(odd + i);
                continue;
            }
            var first = LaneMasks.FirstLanes(count - i);
            Avx512F.MaskStore(even + i, first, e);
            Avx512F.MaskStore(odd + i, first, o);
        }
    }

    /// <summary>
    /// even[i] = src[2i] and odd[i] = src[2i + 1] for i in [0, count): both column phases of a stride-2 row in one pass
    /// over it, where two <see cref="Copy"/> calls would read it twice. Reads src[0 .. 2 * count).
    /// </summary>
    public static void Deinterleave(float* src, float* even, float* odd, int count)
    {
        int i = 0;
        if (Avx512F.IsSupported)
        {
            var evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            var odds = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
            for (; i + 16 <= count; i += 16)
            {
                if (Sse.IsSupported && PrefetchesAhead)
                {
                    Sse.Prefetch0(src + 2 * i + PrefetchDistance);
                    Sse.Prefetch0(src + 2 * i + PrefetchDistance + 16);
                }
                var a = Vector512.Load(src + 2 * i);
                var b = Vector512.Load(src + 2 * i + 16);
                Avx512F.PermuteVar16x32x2(a, evens, b).Store(even + i);
                Avx512F.PermuteVar16x32x2(a, odds, b).Store(odd + i);
            }
        }
        if (Avx2.IsSupported) i += DeinterleaveAvx2(src + 2 * i, even + i, odd + i, count - i);
        for (; i < count; i++)
        {
            even[i] = src[2 * i];
            odd[i] = src[2 * i + 1];
        }
    }

    /// <summary>
    /// The whole 8-output steps of <see cref="Deinterleave"/> with AVX2, whose in-lane shuffles leave the 64-bit pairs
    /// in the order 0, 2, 1, 3 for one cross-lane permute to restore; returns the outputs done (count rounded down to 8).
    /// </summary>
    private static int DeinterleaveAvx2(float* src, float* even, float* odd, int count)
    {
        int i = 0;
        for (; i + 8 <= count; i += 8)
        {
            if (Sse.IsSupported && PrefetchesAhead && (i & 15) == 0)
            {
                Sse.Prefetch0(src + 2 * i + PrefetchDistance);
                Sse.Prefetch0(src + 2 * i + PrefetchDistance + 16);
            }
            var a = Vector256.Load(src + 2 * i);
            var b = Vector256.Load(src + 2 * i + 8);
            Avx2.Permute4x64(Avx.Shuffle(a, b, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle().Store(even + i);
            Avx2.Permute4x64(Avx.Shuffle(a, b, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle().Store(odd + i);
        }
        return i;
    }
}

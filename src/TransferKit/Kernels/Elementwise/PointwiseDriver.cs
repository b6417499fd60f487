using System.Runtime.Intrinsics;

namespace TransferKit.Kernels.Elementwise;

/// <summary>
/// The one loop behind every operator-struct kernel: widest vectors first (512, then 256 bits), then a scalar
/// tail, so an operator is written once per width and never copied per kernel. Large ranges are split over
/// threads by <see cref="ParallelRanges"/>. Outputs may alias inputs exactly (element i is read before it is written).
/// </summary>
internal static unsafe class PointwiseDriver
{
    /// <summary>
    /// The widest vector the driver may use: 512, 256, or 0 for scalar only. Tests lower it so that every path
    /// is compared with the naive twin on a machine whose widest path would otherwise hide the others.
    /// </summary>
    internal static int MaxVectorBits { get; set; } = 512;

    internal static bool Use512 => MaxVectorBits >= 512 && Vector512.IsHardwareAccelerated;

    internal static bool Use256 => MaxVectorBits >= 256 && Vector256.IsHardwareAccelerated;

    /// <summary>y[i] = op(x[i]).</summary>
    public static void Map<TOp>(TOp op, float* x, float* y, int length) where TOp : struct, IUnaryOperator
    {
        if (length < ParallelRanges.Threshold) MapRange(op, x, y, length);
        else ParallelRanges.Run(length, (s, e) => MapRange(op, x + s, y + s, e - s));
    }

    /// <summary>y[i] = op(a[i], b[i]).</summary>
    public static void Map<TOp>(TOp op, float* a, float* b, float* y, int length) where TOp : struct, IBinaryOperator
    {
        if (length < ParallelRanges.Threshold) MapRange(op, a, b, y, length);
        else ParallelRanges.Run(length, (s, e) => MapRange(op, a + s, b + s, y + s, e - s));
    }

    /// <summary>target[i] += op(a[i], b[i]): the backward-pass form.</summary>
    public static void Accumulate<TOp>(TOp op, float* a, float* b, float* target, int length) where TOp : struct, IBinaryOperator
    {
        if (length < ParallelRanges.Threshold) AccumulateRange(op, a, b, target, length);
        else ParallelRanges.Run(length, (s, e) => AccumulateRange(op, a + s, b + s, target + s, e - s));
    }

    internal static void MapRange<TOp>(TOp op, float* x, float* y, int n) where TOp : struct, IUnaryOperator
    {
        int i = 0;
        if (Use512)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                Vector512.Store(op.Invoke(Vector512.Load(x + i)), y + i);
        }
        if (Use256)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                Vector256.Store(op.Invoke(Vector256.Load(x + i)), y + i);
        }
        for (; i < n; i++) y[i] = op.Invoke(x[i]);
    }

    internal static void MapRange<TOp>(TOp op, float* a, float* b, float* y, int n) where TOp : struct, IBinaryOperator
    {
        int i = 0;
        if (Use512)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                Vector512.Store(op.Invoke(Vector512.Load(a + i), Vector512.Load(b + i)), y + i);
        }
        if (Use256)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                Vector256.Store(op.Invoke(Vector256.Load(a + i), Vector256.Load(b + i)), y + i);
        }
        for (; i < n; i++) y[i] = op.Invoke(a[i], b[i]);
    }

    internal static void AccumulateRange<TOp>(TOp op, float* a, float* b, float* target, int n) where TOp : struct, IBinaryOperator
    {
        int i = 0;
        if (Use512)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                Vector512.Store(Vector512.Load(target + i) + op.Invoke(Vector512.Load(a + i), Vector512.Load(b + i)), target + i);
        }
        if (Use256)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                Vector256.Store(Vector256.Load(target + i) + op.Invoke(Vector256.Load(a + i), Vector256.Load(b + i)), target + i);
        }
        for (; i < n; i++) target[i] += op.Invoke(a[i], b[i]);
    }
}

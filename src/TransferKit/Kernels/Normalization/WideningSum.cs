using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TransferKit.Kernels.Normalization;

/// <summary>
/// One term of a <see cref="WideningSum"/>: a function of two centred inputs, evaluated in double precision.
/// Implementations are stateless structs so the JIT specialises the driver for each.
/// </summary>
internal interface IWideningTerm
{
    /// <summary>The term for one element.</summary>
    static abstract double Invoke(double a, double b);

    /// <summary>The term for four elements.</summary>
    static abstract Vector256<double> Invoke(Vector256<double> a, Vector256<double> b);

    /// <summary>The term for eight elements.</summary>
    static abstract Vector512<double> Invoke(Vector512<double> a, Vector512<double> b);
}

/// <summary>The term a (a plain sum).</summary>
internal readonly struct PlainTerm : IWideningTerm
{
    public static double Invoke(double a, double b) => a;
    public static Vector256<double> Invoke(Vector256<double> a, Vector256<double> b) => a;
    public static Vector512<double> Invoke(Vector512<double> a, Vector512<double> b) => a;
}

/// <summary>The term a * b (a sum of squares when both inputs are the same).</summary>
internal readonly struct ProductTerm : IWideningTerm
{
    public static double Invoke(double a, double b) => a * b;
    public static Vector256<double> Invoke(Vector256<double> a, Vector256<double> b) => a * b;
    public static Vector512<double> Invoke(Vector512<double> a, Vector512<double> b) => a * b;
}

/// <summary>Which elements of an output gradient reach batch norm's output, judged from its input x.</summary>
internal interface IGradientMask
{
    /// <summary>g where it passes, else 0.</summary>
    float Apply(float x, float g);

    /// <inheritdoc cref="Apply(float, float)"/>
    Vector256<float> Apply(Vector256<float> x, Vector256<float> g);

    /// <inheritdoc cref="Apply(float, float)"/>
    Vector512<float> Apply(Vector512<float> x, Vector512<float> g);
}

/// <summary>Every element passes (plain batch norm).</summary>
internal readonly struct PassAll : IGradientMask
{
    public float Apply(float x, float g) => g;
    public Vector256<float> Apply(Vector256<float> x, Vector256<float> g) => g;
    public Vector512<float> Apply(Vector512<float> x, Vector512<float> g) => g;
}

/// <summary>
/// Elements whose batch-norm output (x - mean) * scale + shift, recomputed with the forward pass's rounding, is
/// positive: those a following ReLU let through.
/// </summary>
internal readonly struct PositiveNormalized(float mean, float scale, float shift) : IGradientMask
{
    public float Apply(float x, float g) => (x - mean) * scale + shift > 0f ? g : 0f;
    public Vector256<float> Apply(Vector256<float> x, Vector256<float> g) =>
        Vector256.GreaterThan((x - Vector256.Create(mean)) * Vector256.Create(scale) + Vector256.Create(shift), Vector256<float>.Zero) & g;
    public Vector512<float> Apply(Vector512<float> x, Vector512<float> g) =>
        Vector512.GreaterThan((x - Vector512.Create(mean)) * Vector512.Create(scale) + Vector512.Create(shift), Vector512<float>.Zero) & g;
}

/// <summary>
/// Sums a term over float data with every element widened to double first. Batch-norm statistics of one
/// channel run over up to ~10^5-10^6 values, where float accumulation would lose several digits; widening
/// costs little because these reductions are memory bound.
/// </summary>
internal static unsafe class WideningSum
{
    /// <summary>
    /// Returns sum over i of TTerm((a[i] - centreA), (b[i] - centreB)), in double precision.
    /// <paramref name="b"/> may equal <paramref name="a"/>.
    /// </summary>
    public static double Sum<TTerm>(float* a, float* b, nint length, double centreA, double centreB)
        where TTerm : struct, IWideningTerm
    {
        nint i = 0;
        double total = 0;
        if (Vector512.IsHardwareAccelerated && length >= Vector512<float>.Count)
        {
            Vector512<double> ca = Vector512.Create(centreA), cb = Vector512.Create(centreB);
            Vector512<double> acc0 = Vector512<double>.Zero, acc1 = Vector512<double>.Zero;
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                (Vector512<double> aLo, Vector512<double> aHi) = Vector512.Widen(Vector512.Load(a + i));
                (Vector512<double> bLo, Vector512<double> bHi) = Vector512.Widen(Vector512.Load(b + i));
                acc0 += TTerm.Invoke(aLo - ca, bLo - cb);
                acc1 += TTerm.Invoke(aHi - ca, bHi - cb);
            }
            total += Vector512.Sum(acc0 + acc1);
        }
        if (Vector256.IsHardwareAccelerated && length - i >= Vector256<float>.Count)
        {
            Vector256<double> ca = Vector256.Create(centreA), cb = Vector256.Create(centreB);
            Vector256<double> acc0 = Vector256<double>.Zero, acc1 = Vector256<double>.Zero;
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                (Vector256<double> aLo, Vector256<double> aHi) = Vector256.Widen(Vector256.Load(a + i));
                (Vector256<double> bLo, Vector256<double> bHi) = Vector256.Widen(Vector256.Load(b + i));
                acc0 += TTerm.Invoke(aLo - ca, bLo - cb);
                acc1 += TTerm.Invoke(aHi - ca, bHi - cb);
            }
            total += Vector256.Sum(acc0 + acc1);
        }
        for (; i < length; i++) total += TTerm.Invoke(a[i] - centreA, b[i] - centreB);
        return total;
    }

    /// <summary>
    /// Both sums batch norm's backward pass needs, in one pass over the data: sum of g[i], and sum of
    /// (a[i] - centreA) * g[i], where g[i] is b[i] as <paramref name="mask"/> lets it through from a[i]; each sum is
    /// accumulated exactly as <see cref="Sum{TTerm}"/> accumulates it alone.
    /// </summary>
    public static (double SumB, double Dot) SumAndDot<TMask>(float* a, float* b, nint length, double centreA, TMask mask)
        where TMask : struct, IGradientMask
    {
        nint i = 0;
        double sum = 0, dot = 0;
        if (Vector512.IsHardwareAccelerated && length >= Vector512<float>.Count)
        {
            Vector512<double> ca = Vector512.Create(centreA);
            Vector512<double> s0 = Vector512<double>.Zero, s1 = Vector512<double>.Zero, d0 = Vector512<double>.Zero, d1 = Vector512<double>.Zero;
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> x = Vector512.Load(a + i);
                (Vector512<double> aLo, Vector512<double> aHi) = Vector512.Widen(x);
                (Vector512<double> bLo, Vector512<double> bHi) = Vector512.Widen(mask.Apply(x, Vector512.Load(b + i)));
                s0 += bLo;
                s1 += bHi;
                d0 += (aLo - ca) * bLo;
                d1 += (aHi - ca) * bHi;
            }
            sum += Vector512.Sum(s0 + s1);
            dot += Vector512.Sum(d0 + d1);
        }
        if (Vector256.IsHardwareAccelerated && length - i >= Vector256<float>.Count)
        {
            Vector256<double> ca = Vector256.Create(centreA);
            Vector256<double> s0 = Vector256<double>.Zero, s1 = Vector256<double>.Zero, d0 = Vector256<double>.Zero, d1 = Vector256<double>.Zero;
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> x = Vector256.Load(a + i);
                (Vector256<double> aLo, Vector256<double> aHi) = Vector256.Widen(x);
                (Vector256<double> bLo, Vector256<double> bHi) = Vector256.Widen(mask.Apply(x, Vector256.Load(b + i)));
                s0 += bLo;
                s1 += bHi;
                d0 += (aLo - ca) * bLo;
                d1 += (aHi - ca) * bHi;
            }
            sum += Vector256.Sum(s0 + s1);
            dot += Vector256.Sum(d0 + d1);
        }
        for (; i < length; i++)
        {
            float g = mask.Apply(a[i], b[i]);
            sum += (double)g;
            dot += (a[i] - centreA) * g;
        }
        return (sum, dot);
    }

    /// <summary><see cref="SumAndDot{TMask}"/> over the channel's slice in every batch item, as <see cref="SumOverBatch{TTerm}"/> runs <see cref="Sum{TTerm}"/>.</summary>
    public static (double SumB, double Dot) SumAndDotOverBatch<TMask>(int batch, int channels, int spatial, int channel, float* a, float* b,
        double centreA, TMask mask) where TMask : struct, IGradientMask
    {
        double sum = 0, dot = 0;
        long stride = (long)channels * spatial;
        long offset = (long)channel * spatial;
        for (int n = 0; n < batch; n++, offset += stride)
        {
            var (s, d) = SumAndDot(a + offset, b + offset, spatial, centreA, mask);
            sum += s;
            dot += d;
        }
        return (sum, dot);
    }

    /// <summary>Sum of the channel's slice in every batch item: x[n, c, 0..spatial) for n in [0, batch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumOverBatch<TTerm>(int batch, int channels, int spatial, int channel, float* a, float* b,
        double centreA, double centreB) where TTerm : struct, IWideningTerm
    {
        double total = 0;
        long stride = (long)channels * spatial;
        long offset = (long)channel * spatial;
        for (int n = 0; n < batch; n++, offset += stride)
            total += Sum<TTerm>(a + offset, b + offset, spatial, centreA, centreB);
        return total;
    }
}

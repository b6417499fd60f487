using System.Runtime.Intrinsics;
using TransferKit.Kernels.Activations;

namespace TransferKit.Kernels.Normalization;

/// <summary>
/// An element-wise batch-norm operation dst = f(x, g, dst) with per-channel constants held in the struct.
/// </summary>
internal interface IChannelOp
{
    /// <summary>Whether the operation reads the old destination (accumulating ops); otherwise it is not loaded.</summary>
    static abstract bool ReadsDestination { get; }

    /// <summary>One element.</summary>
    float Invoke(float x, float g, float dst);

    /// <summary>Eight elements.</summary>
    Vector256<float> Invoke(Vector256<float> x, Vector256<float> g, Vector256<float> dst);

    /// <summary>Sixteen elements.</summary>
    Vector512<float> Invoke(Vector512<float> x, Vector512<float> g, Vector512<float> dst);
}

/// <summary>Normalise and scale: dst = (x - mean) * scale + shift.</summary>
internal readonly struct NormalizeOp(float mean, float scale, float shift) : IChannelOp
{
    public static bool ReadsDestination => false;
    public float Invoke(float x, float g, float dst) => (x - mean) * scale + shift;
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g, Vector256<float> dst) =>
        (x - Vector256.Create(mean)) * Vector256.Create(scale) + Vector256.Create(shift);
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g, Vector512<float> dst) =>
        (x - Vector512.Create(mean)) * Vector512.Create(scale) + Vector512.Create(shift);
}

/// <summary>Normalise, scale and ReLU: dst = max((x - mean) * scale + shift, 0), the pre-activation rounded as <see cref="NormalizeOp"/> rounds it.</summary>
internal readonly struct NormalizeReluOp(float mean, float scale, float shift) : IChannelOp
{
    public static bool ReadsDestination => false;
    public float Invoke(float x, float g, float dst) => Math.Max((x - mean) * scale + shift, 0f);
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g, Vector256<float> dst) =>
        Rectifier.Max0((x - Vector256.Create(mean)) * Vector256.Create(scale) + Vector256.Create(shift));
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g, Vector512<float> dst) =>
        Rectifier.Max0((x - Vector512.Create(mean)) * Vector512.Create(scale) + Vector512.Create(shift));
}

/// <summary>
/// The training-mode input gradient through a masked batch norm: the output gradient g passes where
/// <typeparamref name="TMask"/> lets it (for ReLU, where the recomputed batch-norm output was positive), then goes
/// through the batch statistics as in <see cref="BatchNormKernel.BackwardTraining(int, int, int, float*, float*, float*, float*, float*, float*, float*, float*)"/>. Adds into dst, or overwrites it.
/// </summary>
internal readonly struct MaskedTrainingGradOp<TMask, TMode>(TMask mask, float mean, float gradMean, float projection, float gradScale) : IChannelOp
    where TMask : struct, IGradientMask
    where TMode : struct, IWriteMode
{
    public static bool ReadsDestination => !TMode.Overwrites;

    public float Invoke(float x, float g, float dst)
    {
        float value = (mask.Apply(x, g) - gradMean - (x - mean) * projection) * gradScale;
        return TMode.Overwrites ? value : dst + value;
    }

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g, Vector256<float> dst)
    {
        Vector256<float> value = (mask.Apply(x, g) - Vector256.Create(gradMean) - (x - Vector256.Create(mean)) * Vector256.Create(projection)) * Vector256.Create(gradScale);
        return TMode.Overwrites ? value : dst + value;
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g, Vector512<float> dst)
    {
        Vector512<float> value = (mask.Apply(x, g) - Vector512.Create(gradMean) - (x - Vector512.Create(mean)) * Vector512.Create(projection)) * Vector512.Create(gradScale);
        return TMode.Overwrites ? value : dst + value;
    }
}

/// <summary>Whether a gradient op adds into its destination or overwrites it.</summary>
internal interface IWriteMode
{
    static abstract bool Overwrites { get; }
}

/// <summary>The op adds into its destination.</summary>
internal readonly struct Accumulate : IWriteMode
{
    public static bool Overwrites => false;
}

/// <summary>The op writes its destination, whose old contents are never read.</summary>
internal readonly struct Overwrite : IWriteMode
{
    public static bool Overwrites => true;
}

/// <summary>Inference-mode input gradient: dst += g * scale (statistics are constants).</summary>
internal readonly struct InferenceGradOp(float scale) : IChannelOp
{
    public static bool ReadsDestination => true;
    public float Invoke(float x, float g, float dst) => dst + g * scale;
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g, Vector256<float> dst) => dst + g * Vector256.Create(scale);
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g, Vector512<float> dst) => dst + g * Vector512.Create(scale);
}

/// <summary>The one driver for every <see cref="IChannelOp"/>: widest vectors first, then narrower, then scalars.</summary>
internal static unsafe class ChannelElementwise
{
    /// <summary>
    /// Applies <paramref name="op"/> to <paramref name="length"/> elements. <paramref name="g"/> may be null when the
    /// op ignores it (it then reads <paramref name="x"/> in its place). <paramref name="dst"/> may equal an input.
    /// </summary>
    public static void Apply<TOp>(in TOp op, float* x, float* g, float* dst, nint length) where TOp : struct, IChannelOp
    {
        if (g == null) g = x;
        nint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> old = TOp.ReadsDestination ? Vector512.Load(dst + i) : default;
                op.Invoke(Vector512.Load(x + i), Vector512.Load(g + i), old).Store(dst + i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> old = TOp.ReadsDestination ? Vector256.Load(dst + i) : default;
                op.Invoke(Vector256.Load(x + i), Vector256.Load(g + i), old).Store(dst + i);
            }
        }
        for (; i < length; i++) dst[i] = op.Invoke(x[i], g[i], TOp.ReadsDestination ? dst[i] : 0f);
    }
}

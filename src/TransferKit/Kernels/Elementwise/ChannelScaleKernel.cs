using System.Numerics.Tensors;

namespace TransferKit.Kernels.Elementwise;

/// <summary>
/// The squeeze-and-excitation multiply: every (n, c) plane of an NCHW tensor scaled by its own factor,
/// y[n, c, s] = x[n, c, s] * scale[n, c], with spatial = H * W.
/// </summary>
public static unsafe class ChannelScaleKernel
{
    /// <summary>y[n, c, s] = x[n, c, s] * scale[n, c]; <paramref name="y"/> may be <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative.</exception>
    public static void Forward(int batch, int channels, int spatial, float* x, float* scale, float* y)
    {
        Validate(batch, channels, spatial);
        int planes = batch * channels;
        ParallelRanges.Run(planes, (long)planes * spatial, (p0, p1) =>
        {
            for (int p = p0; p < p1; p++)
            {
                long o = (long)p * spatial;
                TensorPrimitives.Multiply(new ReadOnlySpan<float>(x + o, spatial), scale[p], new Span<float>(y + o, spatial));
            }
        });
    }

    /// <summary>
    /// Adds the gradients: gradX[n, c, s] += gradY[n, c, s] * scale[n, c] and gradScale[n, c] += sum over s of
    /// gradY[n, c, s] * x[n, c, s]. Either gradient pointer may be null to skip it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative.</exception>
    public static void Backward(int batch, int channels, int spatial, float* x, float* scale, float* gradY, float* gradX, float* gradScale)
    {
        Validate(batch, channels, spatial);
        if (gradX == null && gradScale == null) return;
        int planes = batch * channels;
        ParallelRanges.Run(planes, (long)planes * spatial, (p0, p1) =>
        {
            for (int p = p0; p < p1; p++)
            {
                long o = (long)p * spatial;
                var g = new ReadOnlySpan<float>(gradY + o, spatial);
                if (gradX != null)
                {
                    var gx = new Span<float>(gradX + o, spatial);
                    TensorPrimitives.MultiplyAdd(g, scale[p], gx, gx);
                }
                if (gradScale != null) gradScale[p] += TensorPrimitives.Dot(g, new ReadOnlySpan<float>(x + o, spatial));
            }
        });
    }

    private static void Validate(int batch, int channels, int spatial)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(spatial);
    }
}

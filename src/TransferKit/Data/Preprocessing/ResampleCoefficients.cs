using TransferKit.Models;

namespace TransferKit.Data.Preprocessing;

/// <summary>
/// Fixed-point filter taps for one axis of a Pillow-compatible resize, for the output positions
/// [first, first + count): output position o reads source positions [Start[o], Start[o] + Count[o]) with weights
/// Weights[o * KernelSize + t]. The weights are computed in double, normalised to sum to one, then rounded half away
/// from zero to <see cref="PrecisionBits"/> fractional bits, which is what Pillow does for 8-bit images.
/// </summary>
internal sealed class ResampleCoefficients
{
    /// <summary>Fractional bits of the weights: 32 bits, less 8 for the pixel value and 2 for overshoot of negative lobes.</summary>
    public const int PrecisionBits = 32 - 8 - 2;

    /// <summary>The rounding bias added before the final shift (one half in fixed point).</summary>
    public const int Half = 1 << (PrecisionBits - 1);

    private ResampleCoefficients(int kernelSize, int[] start, int[] count, int[] weights)
    {
        KernelSize = kernelSize;
        Start = start;
        Count = count;
        Weights = weights;
    }

    /// <summary>Stride of <see cref="Weights"/> per output position.</summary>
    public int KernelSize { get; }

    /// <summary>First source position of each output position (relative to the resampled region).</summary>
    public int[] Start { get; }

    /// <summary>Number of source positions of each output position (at least 1).</summary>
    public int[] Count { get; }

    /// <summary>Weights, <see cref="KernelSize"/> per output position, zero past <see cref="Count"/>.</summary>
    public int[] Weights { get; }

    /// <summary>
    /// Taps for resampling <paramref name="inSize"/> source positions to <paramref name="outSize"/>, for the output
    /// positions [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) only.
    /// </summary>
    public static ResampleCoefficients Create(int inSize, int outSize, ResizeInterpolation interpolation, int first, int count)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);        // widen the kernel when shrinking: this is the antialiasing
        double support = ResampleFilter.Support(interpolation) * filterScale;
        int kernelSize = ((int)Math.Ceiling(support) * 2) + 1;
        double inverseFilterScale = 1.0 / filterScale;

        var start = new int[count];
        var taps = new int[count];
        var weights = new int[count * kernelSize];
        Span<double> w = kernelSize <= 256 ? stackalloc double[kernelSize] : new double[kernelSize];
        for (int i = 0; i < count; i++)
        {
            double center = (first + i + 0.5) * scale;
            // Truncation toward zero (a C cast) after adding one half, then clamping, exactly as Pillow bounds the window.
            int lo = Math.Max((int)(center - support + 0.5), 0);
            int hi = Math.Min((int)(center + support + 0.5), inSize);
            int n = hi - lo;
            double sum = 0;
            for (int t = 0; t < n; t++)
            {
                w[t] = ResampleFilter.Evaluate(interpolation, (t + lo - center + 0.5) * inverseFilterScale);
                sum += w[t];
            }

            Span<int> fixedPoint = weights.AsSpan(i * kernelSize, kernelSize);
            for (int t = 0; t < n; t++)
            {
                double normalised = sum != 0.0 ? w[t] / sum : w[t];
                double scaled = normalised * (1 << PrecisionBits);
                fixedPoint[t] = normalised < 0 ? (int)(scaled - 0.5) : (int)(scaled + 0.5);
            }

            start[i] = lo;
            taps[i] = n;
        }

        return new ResampleCoefficients(kernelSize, start, taps, weights);
    }

    /// <summary>Converts a fixed-point sum to a byte: shift out the fraction, clamp to [0, 255].</summary>
    public static byte Clip(int sum)
    {
        int v = sum >> PrecisionBits;
        return (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
}

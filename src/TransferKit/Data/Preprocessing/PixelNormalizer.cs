using TransferKit.Models;

namespace TransferKit.Data.Preprocessing;

/// <summary>
/// Applies a <see cref="NormalizationSpec"/>: RGB bytes (HWC) or unit-range floats (CHW) become network input
/// [3, H, W] with y = (pixel / Scale - Mean[c]) / Std[c] in the spec's channel order. For bytes every channel has a
/// 256-entry table computed with the float32 operations of torchvision's <c>ToTensor</c> then <c>Normalize</c>
/// (divide, subtract, divide), so a lookup gives their values without per-pixel arithmetic.
/// </summary>
public sealed unsafe class PixelNormalizer
{
    private readonly float[] _table;          // [3][256] by output channel
    private readonly float[] _mean;
    private readonly float[] _std;
    private readonly float _unitToScale;
    private readonly int[] _sourceChannel;    // output channel -> R, G, B index

    /// <summary>Builds the tables for <paramref name="spec"/>.</summary>
    /// <exception cref="ArgumentException">The spec does not have three means and three positive standard deviations, or Scale is not positive.</exception>
    public PixelNormalizer(NormalizationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Mean.Count != 3 || spec.Std.Count != 3)
            throw new ArgumentException("NormalizationSpec needs three means and three standard deviations.", nameof(spec));
        if (!(spec.Scale > 0)) throw new ArgumentException($"NormalizationSpec.Scale must be positive, got {spec.Scale}.", nameof(spec));
        for (int c = 0; c < 3; c++)
        {
            if (!(spec.Std[c] > 0)) throw new ArgumentException($"NormalizationSpec.Std[{c}] must be positive, got {spec.Std[c]}.", nameof(spec));
        }

        Spec = spec;
        _mean = [spec.Mean[0], spec.Mean[1], spec.Mean[2]];
        _std = [spec.Std[0], spec.Std[1], spec.Std[2]];
        _sourceChannel = spec.ChannelOrder == ChannelOrder.Bgr ? [2, 1, 0] : [0, 1, 2];
        _unitToScale = 255f / spec.Scale;
        _table = new float[3 * 256];
        for (int c = 0; c < 3; c++)
        {
            for (int v = 0; v < 256; v++) _table[(c * 256) + v] = ((v / spec.Scale) - _mean[c]) / _std[c];
        }
    }

    /// <summary>The spec this normaliser applies.</summary>
    public NormalizationSpec Spec { get; }

    /// <summary>
    /// Normalises <paramref name="width"/> x <paramref name="height"/> RGB bytes (HWC) into <paramref name="destination"/>
    /// ([3, height, width], CHW, output channel order).
    /// </summary>
    /// <exception cref="ArgumentException">A buffer has the wrong length.</exception>
    public void Normalize(ReadOnlySpan<byte> rgb, int width, int height, Span<float> destination)
    {
        int plane = width * height;
        if (rgb.Length != plane * 3) throw new ArgumentException($"Expected {plane * 3} bytes for {width}x{height} RGB, got {rgb.Length}.", nameof(rgb));
        if (destination.Length != plane * 3) throw new ArgumentException($"Expected {plane * 3} floats, got {destination.Length}.", nameof(destination));
        // One pass over the interleaved bytes; the tables are indexed by source channel, so BGR costs nothing extra.
        int s0 = _sourceChannel[0], s1 = _sourceChannel[1], s2 = _sourceChannel[2];
        fixed (float* table = _table)
        fixed (byte* src = rgb)
        fixed (float* dst = destination)
        {
            float* p0 = dst, p1 = dst + plane, p2 = dst + (2 * plane);
            float* t1 = table + 256, t2 = table + 512;
            byte* pixel = src;
            for (int i = 0; i < plane; i++, pixel += 3)
            {
                p0[i] = table[pixel[s0]];
                p1[i] = t1[pixel[s1]];
                p2[i] = t2[pixel[s2]];
            }
        }
    }

    /// <summary>
    /// Normalises, in place, an RGB image of unit-range floats ([3, H, W], pixel / 255, channels R, G, B) as
    /// produced by <see cref="ToUnitPlanes"/> and changed by float augmentations; reorders channels for BGR specs.
    /// </summary>
    /// <exception cref="ArgumentException">The length is not a multiple of 3.</exception>
    public void NormalizeUnitInPlace(Span<float> planes)
    {
        if (planes.Length % 3 != 0) throw new ArgumentException("Expected three planes.", nameof(planes));
        int plane = planes.Length / 3;
        if (_sourceChannel[0] == 2)
        {
            Span<float> red = planes[..plane], blue = planes[(2 * plane)..];
            for (int i = 0; i < plane; i++) (red[i], blue[i]) = (blue[i], red[i]);
        }

        for (int c = 0; c < 3; c++)
        {
            Span<float> p = planes.Slice(c * plane, plane);
            float mean = _mean[c], std = _std[c], k = _unitToScale;
            for (int i = 0; i < p.Length; i++) p[i] = ((p[i] * k) - mean) / std;
        }
    }

    /// <summary>Converts RGB bytes (HWC) to unit-range floats ([3, H, W], R, G, B; pixel / 255 as torchvision's ToTensor).</summary>
    /// <exception cref="ArgumentException">A buffer has the wrong length.</exception>
    public static void ToUnitPlanes(ReadOnlySpan<byte> rgb, int width, int height, Span<float> destination)
    {
        int plane = width * height;
        if (rgb.Length != plane * 3) throw new ArgumentException($"Expected {plane * 3} bytes for {width}x{height} RGB, got {rgb.Length}.", nameof(rgb));
        if (destination.Length != plane * 3) throw new ArgumentException($"Expected {plane * 3} floats, got {destination.Length}.", nameof(destination));
        Span<float> unit = stackalloc float[256];
        for (int v = 0; v < 256; v++) unit[v] = v / 255f;
        for (int c = 0; c < 3; c++)
        {
            Span<float> output = destination.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++) output[i] = unit[rgb[(i * 3) + c]];
        }
    }
}

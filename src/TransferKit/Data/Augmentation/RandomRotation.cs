namespace TransferKit.Data.Augmentation;

/// <summary>
/// Rotates the image about its centre by an angle uniform in [-<see cref="MaxDegrees"/>, <see cref="MaxDegrees"/>]
/// (positive is counter-clockwise, as torchvision's RandomRotation), keeping its size. Each output pixel centre is
/// mapped back into the source and sampled bilinearly; source pixels outside the image count as the fill value, so the
/// corners uncovered by the rotation get the fill and edges blend into it over one pixel.
/// </summary>
public sealed class RandomRotation
{
    /// <summary>Creates the augmentation.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegrees"/> is not in [0, 180].</exception>
    public RandomRotation(double maxDegrees, float fill = 0f)
    {
        new AugmentationOptions { RotationDegrees = maxDegrees }.Validate();
        MaxDegrees = maxDegrees;
        Fill = fill;
    }

    /// <summary>Largest angle in degrees.</summary>
    public double MaxDegrees { get; }

    /// <summary>Value of pixels that come from outside the image (in the units of the planes, 0 = black for unit planes).</summary>
    public float Fill { get; }

    /// <summary>Draws an angle in degrees.</summary>
    public double Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return RandomResizedCrop.Uniform(random, -MaxDegrees, MaxDegrees);
    }

    /// <summary>
    /// Writes <paramref name="source"/> ([C, height, width]) rotated by <paramref name="degrees"/> counter-clockwise
    /// into <paramref name="destination"/> (same shape; must not overlap the source).
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ or are not a whole number of planes.</exception>
    public static void Apply(ReadOnlySpan<float> source, Span<float> destination, int width, int height, double degrees, float fill = 0f)
    {
        int plane = width * height;
        if (plane < 1 || source.Length % plane != 0 || destination.Length != source.Length)
            throw new ArgumentException($"Source and destination must be the same whole number of {width}x{height} planes.", nameof(destination));
        double radians = degrees * Math.PI / 180.0;
        double cos = Math.Cos(radians), sin = Math.Sin(radians);
        double cx = width / 2.0, cy = height / 2.0;
        for (int y = 0; y < height; y++)
        {
            double dy = y + 0.5 - cy;
            for (int x = 0; x < width; x++)
            {
                double dx = x + 0.5 - cx;
                // The inverse rotation takes the output pixel centre to the source point it shows (pixel centres at i + 0.5).
                double sx = (dx * cos) - (dy * sin) + cx - 0.5;
                double sy = (dx * sin) + (dy * cos) + cy - 0.5;
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                float fx = (float)(sx - x0), fy = (float)(sy - y0);
                for (int p = 0; p < source.Length; p += plane)
                {
                    ReadOnlySpan<float> s = source.Slice(p, plane);
                    float top = Lerp(Tap(s, x0, y0, width, height, fill), Tap(s, x0 + 1, y0, width, height, fill), fx);
                    float bottom = Lerp(Tap(s, x0, y0 + 1, width, height, fill), Tap(s, x0 + 1, y0 + 1, width, height, fill), fx);
                    destination[p + (y * width) + x] = Lerp(top, bottom, fy);
                }
            }
        }
    }

    private static float Lerp(float a, float b, float t) => a + ((b - a) * t);

    private static float Tap(ReadOnlySpan<float> plane, int x, int y, int width, int height, float fill) =>
        (uint)x < (uint)width && (uint)y < (uint)height ? plane[(y * width) + x] : fill;
}

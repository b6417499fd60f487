using TransferKit.Models;

namespace TransferKit.Data.Preprocessing;

/// <summary>
/// The resampling kernels of Pillow's Resample.c, evaluated in double as Pillow does: bilinear is the triangle
/// with support 1, bicubic the Keys cubic with a = -0.5 and support 2. When downscaling, the caller stretches the
/// kernel by the scale factor (antialiasing).
/// </summary>
internal static class ResampleFilter
{
    /// <summary>Half-width of the unstretched kernel.</summary>
    public static double Support(ResizeInterpolation interpolation) => interpolation switch
    {
        ResizeInterpolation.Bilinear => 1.0,
        ResizeInterpolation.Bicubic => 2.0,
        _ => throw new ArgumentOutOfRangeException(nameof(interpolation), interpolation, "Unknown interpolation."),
    };

    /// <summary>The kernel's value at distance <paramref name="x"/> (in source pixels of the unstretched kernel).</summary>
    public static double Evaluate(ResizeInterpolation interpolation, double x) =>
        interpolation == ResizeInterpolation.Bicubic ? Bicubic(x) : Triangle(x);

    private static double Triangle(double x)
    {
        x = Math.Abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }

    private static double Bicubic(double x)
    {
        // Keys (1981) cubic convolution with a = -0.5, the choice of Pillow and of most image libraries.
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1.0) return (((a + 2.0) * x) - (a + 3.0)) * x * x + 1.0;
        if (x < 2.0) return ((((x - 5.0) * x) + 8.0) * x - 4.0) * a;
        return 0.0;
    }
}

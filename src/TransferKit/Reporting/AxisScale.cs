using System.Globalization;

namespace TransferKit.Reporting;

/// <summary>
/// A linear axis with "nice" ticks (1, 2 or 5 times a power of ten apart) that cover the data, as plotting libraries
/// choose them, so a reader can interpolate between round numbers. Maps data values to pixels.
/// </summary>
internal sealed class AxisScale
{
    private AxisScale(double min, double max, double step, double pixelStart, double pixelEnd)
    {
        Min = min;
        Max = max;
        Step = step;
        PixelStart = pixelStart;
        PixelEnd = pixelEnd;
    }

    /// <summary>The axis's lowest value (the first tick).</summary>
    public double Min { get; }

    /// <summary>The axis's highest value (the last tick).</summary>
    public double Max { get; }

    /// <summary>Distance between ticks.</summary>
    public double Step { get; }

    /// <summary>Pixel of <see cref="Min"/>.</summary>
    public double PixelStart { get; }

    /// <summary>Pixel of <see cref="Max"/>.</summary>
    public double PixelEnd { get; }

    /// <summary>The tick values from <see cref="Min"/> to <see cref="Max"/>.</summary>
    public IEnumerable<double> Ticks
    {
        get
        {
            int count = (int)Math.Round((Max - Min) / Step);
            // Multiplying instead of adding keeps 0.1 + 0.1 + 0.1 from drifting to 0.30000000000000004.
            for (int i = 0; i <= count; i++) yield return Min + (i * Step);
        }
    }

    /// <summary>
    /// An axis covering [<paramref name="low"/>, <paramref name="high"/>] with about <paramref name="targetTicks"/>
    /// ticks, mapped onto pixels <paramref name="pixelStart"/> to <paramref name="pixelEnd"/> (which may run backwards,
    /// as a y axis does). An empty range is widened; <paramref name="integerSteps"/> keeps ticks on whole numbers.
    /// </summary>
    public static AxisScale Create(double low, double high, double pixelStart, double pixelEnd, int targetTicks = 5, bool integerSteps = false)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high)) (low, high) = (0, 1);
        if (low > high) (low, high) = (high, low);
        if (high - low <= Math.Abs(high) * 1e-12)
        {
            double pad = high == 0 ? 1 : Math.Abs(high) * 0.5;
            (low, high) = (low - pad, high + pad);
        }
        // A nearly flat line (a loss that moves in its fifth digit) still gets ticks a thousandth of its size apart, so
        // that rounding noise is not magnified into a steep-looking curve with ticks too close to label apart.
        double floor = Math.Max(Math.Abs(low), Math.Abs(high)) * 1e-3;
        if (high - low < floor)
        {
            double middle = (low + high) / 2;
            (low, high) = (middle - (floor / 2), middle + (floor / 2));
        }
        double step = NiceStep((high - low) / Math.Max(1, targetTicks - 1));
        if (integerSteps) step = Math.Max(1, Math.Round(step));
        double min = Math.Floor((low / step) + 1e-9) * step;
        double max = Math.Ceiling((high / step) - 1e-9) * step;
        return new AxisScale(min, max, step, pixelStart, pixelEnd);
    }

    /// <summary>The pixel of <paramref name="value"/>.</summary>
    public double ToPixel(double value) => PixelStart + ((value - Min) / (Max - Min) * (PixelEnd - PixelStart));

    /// <summary>
    /// A tick label with as many digits as the step needs, so neighbouring ticks never read the same: decimals for
    /// values of everyday size, an exponent (with enough significant digits) for values below 1e-3 or from 1e6.
    /// </summary>
    public string Format(double value)
    {
        if (Math.Abs(value) < Step * 1e-9) value = 0;
        double magnitude = Math.Max(Math.Abs(Min), Math.Abs(Max));
        if (magnitude < 1e-3 || magnitude >= 1e6)
        {
            if (value == 0) return "0";
            int digits = Math.Max(0, (int)Math.Floor(Math.Log10(magnitude) + 1e-9) - (int)Math.Floor(Math.Log10(Step) + 1e-9));
            return value.ToString("0." + new string('0', digits) + "E+0", CultureInfo.InvariantCulture).Replace(".E", "E", StringComparison.Ordinal);
        }
        int decimals = Math.Max(0, (int)Math.Ceiling(-Math.Log10(Step) - 1e-9));
        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>The smallest of 1, 2, 5 or 10 times a power of ten that is at least <paramref name="rough"/>.</summary>
    internal static double NiceStep(double rough)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / power;
        double nice = fraction <= 1 + 1e-9 ? 1 : fraction <= 2 + 1e-9 ? 2 : fraction <= 5 + 1e-9 ? 5 : 10;
        return nice * power;
    }
}

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
        double step = NiceStep((high - low) / Math.Max(1, targetTicks - 1));
        if (integerSteps) step = Math.Max(1, Math.Round(step));
        double min = Math.Floor((low / step) + 1e-9) * step;
        double max = Math.Ceiling((high / step) - 1e-9) * step;
        return new AxisScale(min, max, step, pixelStart, pixelEnd);
    }

    /// <summary>The pixel of <paramref name="value"/>.</summary>
    public double ToPixel(double value) => PixelStart + ((value - Min) / (Max - Min) * (PixelEnd - PixelStart));

    /// <summary>A tick label: as many decimals as the step needs, or an exponent for very small or large steps.</summary>
    public string Format(double value)
    {
        if (Math.Abs(value) < Step * 1e-9) value = 0;
        if (Step < 1e-3 || Step >= 1e6) return value == 0 ? "0" : value.ToString("0.##E+0", CultureInfo.InvariantCulture);
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

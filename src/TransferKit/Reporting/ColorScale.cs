using System.Globalization;

namespace TransferKit.Reporting;

/// <summary>
/// A sequential colour scale from near-white (0) to dark blue (1), interpolated linearly in sRGB between five stops
/// of increasing darkness, so more means darker whatever the viewer's colour vision. Also picks a text colour that
/// stays readable on each fill.
/// </summary>
internal static class ColorScale
{
    private static readonly (byte R, byte G, byte B)[] Stops =
    [
        (0xF7, 0xFB, 0xFF),
        (0xC6, 0xDB, 0xEF),
        (0x6B, 0xAE, 0xD6),
        (0x21, 0x71, 0xB5),
        (0x08, 0x30, 0x6B),
    ];

    /// <summary>The colour at the top of the scale (1), e.g. a confusion matrix cell holding all of its row.</summary>
    public static (byte R, byte G, byte B) Darkest => Stops[^1];

    /// <summary>The colour of <paramref name="t"/> in [0, 1] (clamped; NaN counts as 0).</summary>
    public static (byte R, byte G, byte B) At(double t)
    {
        t = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1);
        double position = t * (Stops.Length - 1);
        int i = Math.Min((int)position, Stops.Length - 2);
        double f = position - i;
        var (a, b) = (Stops[i], Stops[i + 1]);
        return (Mix(a.R, b.R, f), Mix(a.G, b.G, f), Mix(a.B, b.B, f));
    }

    /// <summary>The colour as <c>#rrggbb</c>.</summary>
    public static string Hex((byte R, byte G, byte B) c) => string.Create(CultureInfo.InvariantCulture, $"#{c.R:x2}{c.G:x2}{c.B:x2}");

    /// <summary>White on dark fills, near-black on light ones (by relative luminance).</summary>
    public static string TextOn((byte R, byte G, byte B) c) => (0.2126 * c.R) + (0.7152 * c.G) + (0.0722 * c.B) < 140 ? "#ffffff" : "#111111";

    private static byte Mix(byte a, byte b, double f) => (byte)Math.Round(a + ((b - a) * f));
}

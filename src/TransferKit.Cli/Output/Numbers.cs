using System.Globalization;

namespace TransferKit.Cli.Output;

/// <summary>Number formats of the text output, in the invariant culture so logs read the same everywhere.</summary>
internal static class Numbers
{
    /// <summary>A count with thousands separators: 25,557,032.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A number with <paramref name="decimals"/> decimals.</summary>
    public static string Fixed(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A ratio as a percentage with one decimal: 87.5%.</summary>
    public static string Percent(double ratio) => ratio.ToString("P1", CultureInfo.InvariantCulture);

    /// <summary>A byte count in KB, MB or GB (10^3 steps, as file managers show them).</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1_000 => $"{bytes} B",
        < 1_000_000 => $"{Fixed(bytes / 1e3, 1)} KB",
        < 1_000_000_000 => $"{Fixed(bytes / 1e6, 1)} MB",
        _ => $"{Fixed(bytes / 1e9, 2)} GB",
    };
}

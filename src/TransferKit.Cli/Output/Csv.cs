namespace TransferKit.Cli.Output;

/// <summary>RFC 4180 fields: quoted only when they hold a comma, a quote or a line break (file names can).</summary>
internal static class Csv
{
    /// <summary>Writes one record.</summary>
    public static void WriteRow(TextWriter writer, params string[] fields) => writer.WriteLine(string.Join(",", fields.Select(Field)));

    /// <summary>One field, quoted when needed.</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}

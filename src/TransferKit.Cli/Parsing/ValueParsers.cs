using System.Globalization;

namespace TransferKit.Cli.Parsing;

/// <summary>
/// Parsers for option values, in the invariant culture so that <c>--lr 0.001</c> means the same on every machine. Each
/// throws <see cref="FormatException"/> with a message that says what was expected; <see cref="CliOption"/> turns it
/// into a parse error that names the option.
/// </summary>
internal static class ValueParsers
{
    /// <summary>A whole number of at least 1.</summary>
    public static int PositiveInt(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new FormatException($"expected a whole number of at least 1, got '{text}'.");

    /// <summary>Any whole number (seeds).</summary>
    public static int Int(string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n)
            ? n
            : throw new FormatException($"expected a whole number, got '{text}'.");

    /// <summary>A finite number greater than 0 (learning rates).</summary>
    public static double PositiveNumber(string text) =>
        TryNumber(text, out double x) && x > 0
            ? x
            : throw new FormatException($"expected a number greater than 0, got '{text}'.");

    /// <summary>A share in (0, 1]: the part of a dataset to use.</summary>
    public static double FractionAboveZero(string text) =>
        TryNumber(text, out double x) && x > 0 && x <= 1
            ? x
            : throw new FormatException($"expected a number in (0, 1], got '{text}'.");

    /// <summary>A share or probability in [0, 1): a validation hold-out, a dropout probability.</summary>
    public static double FractionBelowOne(string text) =>
        TryNumber(text, out double x) && x >= 0 && x < 1
            ? x
            : throw new FormatException($"expected a number in [0, 1), got '{text}'.");

    /// <summary>A comma-separated list of whole numbers of at least 1 (<c>256,128</c>); <c>none</c> or empty is the empty list.</summary>
    public static IReadOnlyList<int> PositiveIntList(string text)
    {
        string trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.Equals("none", StringComparison.OrdinalIgnoreCase)) return [];
        var values = new List<int>();
        foreach (string part in trimmed.Split(','))
        {
            if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
                throw new FormatException($"expected comma-separated whole numbers of at least 1 (such as 256,128), got '{text}'.");
            values.Add(n);
        }
        return values;
    }

    /// <summary>A comma-separated list of non-empty names, without repeats (ignoring case).</summary>
    public static IReadOnlyList<string> NameList(string text)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw new FormatException($"expected comma-separated names, got '{text}'.");
        var repeated = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new FormatException($"'{repeated.Key}' is listed twice.");
        return names;
    }

    /// <summary>One of <paramref name="choices"/> (case-insensitive), mapped to its value.</summary>
    public static T OneOf<T>(string text, IReadOnlyDictionary<string, T> choices) =>
        choices.TryGetValue(text.Trim(), out var value)
            ? value
            : throw new FormatException($"expected one of {string.Join(", ", choices.Keys)}, got '{text}'.");

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}

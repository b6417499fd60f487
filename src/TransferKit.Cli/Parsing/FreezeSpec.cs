using System.Globalization;
using TransferKit.Training.Freezing;

namespace TransferKit.Cli.Parsing;

/// <summary>
/// A <c>--freeze</c> value: <c>backbone</c>, <c>none</c>, <c>N</c> (freeze the first N units), <c>last:N</c> (train
/// the last N units), a fraction with a decimal point such as <c>0.8</c>, or <c>upto:UNIT</c>. Kept as data (not only
/// as a <see cref="FreezeDepth"/>) so it can be checked against an architecture's unit names before any network is
/// built, and printed back as typed.
/// </summary>
internal sealed record FreezeSpec
{
    /// <summary>The accepted forms, for help and error messages.</summary>
    public const string Forms = "backbone, none, N (freeze the first N units), last:N (train the last N units), a fraction such as 0.8, or upto:UNIT";

    private FreezeSpec(FreezeKind kind, string text)
    {
        Kind = kind;
        Text = text;
    }

    /// <summary>Which form it is.</summary>
    public FreezeKind Kind { get; }

    /// <summary>The value as given.</summary>
    public string Text { get; }

    /// <summary>N of <see cref="FreezeKind.FirstUnits"/> and <see cref="FreezeKind.TrainLast"/>.</summary>
    public int Count { get; private init; }

    /// <summary>The share of <see cref="FreezeKind.Fraction"/>, in [0, 1].</summary>
    public double Fraction { get; private init; }

    /// <summary>The unit of <see cref="FreezeKind.UpTo"/>.</summary>
    public string? UnitName { get; private init; }

    /// <summary>Parses a <c>--freeze</c> value.</summary>
    /// <exception cref="FormatException">The text is none of the forms.</exception>
    public static FreezeSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        if (t.Equals("backbone", StringComparison.OrdinalIgnoreCase)) return new(FreezeKind.Backbone, t);
        if (t.Equals("none", StringComparison.OrdinalIgnoreCase)) return new(FreezeKind.None, t);
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int first)) return new(FreezeKind.FirstUnits, t) { Count = first };
        if (t.StartsWith("last:", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(t.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int last))
            return new(FreezeKind.TrainLast, t) { Count = last };
        if (t.StartsWith("upto:", StringComparison.OrdinalIgnoreCase) && t.Length > 5)
            return new(FreezeKind.UpTo, t) { UnitName = t[5..].Trim() };
        // A fraction needs its decimal point, so that "1" stays "the first unit" and "1.0" means everything.
        if (t.Contains('.', StringComparison.Ordinal)
            && double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double fraction))
        {
            return fraction <= 1
                ? new(FreezeKind.Fraction, t) { Fraction = fraction }
                : throw new FormatException($"the fraction {t} is above 1; use a share of the units in [0, 1] such as 0.8.");
        }
        throw new FormatException($"'{text}' is not a freeze depth; use {Forms}.");
    }

    /// <summary>The library's freeze depth.</summary>
    public FreezeDepth ToFreezeDepth() => Kind switch
    {
        FreezeKind.Backbone => FreezeDepth.Backbone,
        FreezeKind.None => FreezeDepth.None,
        FreezeKind.FirstUnits => FreezeDepth.FirstUnits(Count),
        FreezeKind.TrainLast => FreezeDepth.TrainLastUnits(Count),
        FreezeKind.Fraction => FreezeDepth.Fraction(Fraction),
        _ => FreezeDepth.UpTo(UnitName!),
    };

    /// <summary>Checks the spec against a network's units, so a mistake is a usage error before data or weights load.</summary>
    /// <param name="option">The option's name for the message (<c>--freeze</c>, <c>--unfreeze</c>).</param>
    /// <param name="network">The network's name.</param>
    /// <param name="units">Its freezable units in order.</param>
    /// <exception cref="UsageException">The count exceeds the units, or no unit has the name.</exception>
    public void CheckAgainst(string option, string network, IReadOnlyList<string> units)
    {
        string listing = $"{network} has {units.Count} units: {string.Join(", ", units)}";
        switch (Kind)
        {
            case FreezeKind.FirstUnits or FreezeKind.TrainLast when Count > units.Count:
                throw new UsageException($"{option} {Text}: {listing}.");
            case FreezeKind.UpTo when !units.Contains(UnitName, StringComparer.Ordinal):
                throw new UsageException($"{option} {Text}: no unit is called '{UnitName}'; {listing}.");
        }
    }

    /// <summary>Formats as the value given.</summary>
    public override string ToString() => Text;
}

/// <summary>The forms of a <see cref="FreezeSpec"/>.</summary>
internal enum FreezeKind
{
    /// <summary>Every unit frozen: only the head trains.</summary>
    Backbone,

    /// <summary>Nothing frozen.</summary>
    None,

    /// <summary>The first N units frozen.</summary>
    FirstUnits,

    /// <summary>The last N units train.</summary>
    TrainLast,

    /// <summary>A share of the units frozen, rounded down.</summary>
    Fraction,

    /// <summary>Every unit up to and including a named one frozen.</summary>
    UpTo,
}

using System.Globalization;

namespace TransferKit.Samples;

/// <summary>
/// The samples' small command-line reader: <c>--name value</c> or <c>--name=value</c> pairs, <c>-h</c>/<c>--help</c>, and
/// the value checks both samples need. Every mistake is a <see cref="UsageException"/> with one clear line.
/// </summary>
public static class CommandLine
{
    /// <summary>Splits <paramref name="args"/> into (name, value) pairs, in order, checking each name against <paramref name="known"/>.</summary>
    /// <exception cref="UsageException">An argument is not an option, the option is unknown, or its value is missing.</exception>
    public static (IReadOnlyList<(string Name, string Value)> Options, bool Help) Read(IReadOnlyList<string> args, IReadOnlySet<string> known)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(known);
        var options = new List<(string, string)>();
        bool help = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg is "-h" or "--help" or "-?")
            {
                help = true;
                continue;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"Unexpected argument '{arg}' (see --help).");
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            string name = equals > 0 ? arg[..equals] : arg;
            if (!known.Contains(name)) throw new UsageException($"Unknown option '{name}' (see --help).");
            string value = equals > 0 ? arg[(equals + 1)..]
                : i + 1 < args.Count ? args[++i]
                : throw new UsageException($"{name} needs a value.");
            options.Add((name, value));
        }
        return (options, help);
    }

    /// <summary>A positive whole number for option <paramref name="name"/>.</summary>
    public static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new UsageException($"{name} must be a positive whole number, got '{value}'.");

    /// <summary>A <c>--fraction</c> in (0, 1].</summary>
    public static double Fraction(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && f > 0 && f <= 1
            ? f
            : throw new UsageException($"--fraction must be a number in (0, 1], got '{value}'.");

    /// <summary>A <c>--weights</c> path; URLs are refused because the samples run offline.</summary>
    public static string LocalWeights(string value) =>
        value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? throw new UsageException("--weights takes a local .safetensors file: downloading is out of scope for this offline sample.")
            : value;
}

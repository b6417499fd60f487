using System.Reflection;
using System.Text.RegularExpressions;
using TransferKit.Weights;

namespace TransferKit.Cli;

/// <summary>
/// Turns any failure into one line on standard error (<c>transferkit: error: &lt;message&gt;</c>) and an exit code:
/// <see cref="ExitCodes.Usage"/> for command-line mistakes, <see cref="ExitCodes.Cancelled"/> for Ctrl+C and
/// <see cref="ExitCodes.Failure"/> for everything else. The stack trace follows only with <c>--verbose</c>.
/// </summary>
internal static partial class ErrorHandler
{
    /// <summary>Messages longer than this are cut: one line must stay readable in a terminal and a CI log.</summary>
    private const int MaxMessageLength = 600;

    /// <summary>Reports <paramref name="exception"/> on <paramref name="stderr"/> and returns the exit code.</summary>
    public static int Report(Exception exception, TextWriter stderr, bool verbose)
    {
        var e = Unwrap(exception);
        var (code, message) = Describe(e);
        stderr.WriteLine(code == ExitCodes.Cancelled ? $"{CliApp.Name}: cancelled" : $"{CliApp.Name}: error: {message}");
        if (verbose) stderr.WriteLine(exception);
        return code;
    }

    /// <summary>The exit code and the one-line message for <paramref name="e"/>.</summary>
    internal static (int Code, string Message) Describe(Exception e) => e switch
    {
        OperationCanceledException => (ExitCodes.Cancelled, "cancelled"),
        UsageException => (ExitCodes.Usage, OneLine(e.Message)),
        WeightsMismatchException w => (ExitCodes.Failure, OneLine(Summarise(w))),
        // Library errors already read "<file>: <reason>".
        TransferKitException => (ExitCodes.Failure, OneLine(e.Message)),
        FileNotFoundException f => (ExitCodes.Failure, OneLine(f.FileName is { } name && !f.Message.StartsWith(name, StringComparison.Ordinal)
            ? $"{name}: the file does not exist."
            : f.Message)),
        DirectoryNotFoundException or UnauthorizedAccessException or IOException => (ExitCodes.Failure, OneLine(e.Message)),
        ArgumentException a => (ExitCodes.Failure, OneLine(WithoutParameterSuffix(a))),
        _ => (ExitCodes.Failure, OneLine($"unexpected {e.GetType().Name}: {e.Message} (run with --verbose for the stack trace)")),
    };

    /// <summary>An <see cref="ArgumentException"/>'s message without .NET's " (Parameter 'x')" suffix, which means nothing to a shell user.</summary>
    internal static string WithoutParameterSuffix(ArgumentException e)
    {
        string message = e.Message;
        int suffix = e.ParamName is null ? -1 : message.LastIndexOf($" (Parameter '{e.ParamName}')", StringComparison.Ordinal);
        if (suffix >= 0) message = message[..suffix];
        if (e is ArgumentOutOfRangeException { ActualValue: { } value } && !message.Contains(value.ToString() ?? "", StringComparison.Ordinal))
            message = $"{message} (got {value})";
        int actual = message.IndexOf("\nActual value was", StringComparison.Ordinal);
        return actual >= 0 ? message[..actual] : message;
    }

    private static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case AggregateException { InnerExceptions.Count: 1 } a:
                    e = a.InnerExceptions[0];
                    continue;
                case TargetInvocationException { InnerException: { } inner }:
                    e = inner;
                    continue;
                default:
                    return e;
            }
        }
    }

    /// <summary>
    /// The library lists every mismatched key, which for a whole network is thousands of characters: keep the counts
    /// and the first few keys, and point at <c>inspect</c>, which says what the file does fit.
    /// </summary>
    private static string Summarise(WeightsMismatchException w)
    {
        static string First(IEnumerable<string> keys, int count) =>
            string.Join(", ", keys.Take(3)) + (count > 3 ? $", ... ({count - 3} more)" : "");

        var parts = new List<string>();
        if (w.Missing.Count > 0) parts.Add($"{w.Missing.Count} missing keys ({First(w.Missing, w.Missing.Count)})");
        if (w.Unexpected.Count > 0) parts.Add($"{w.Unexpected.Count} unexpected keys ({First(w.Unexpected, w.Unexpected.Count)})");
        if (w.ShapeMismatches.Count > 0)
            parts.Add($"{w.ShapeMismatches.Count} shape mismatches ({First(w.ShapeMismatches.Select(m => m.ToString()), w.ShapeMismatches.Count)})");
        string fits = w.FileFits switch
        {
            null => $"'{CliApp.Name} inspect {w.FilePath}' shows which architecture they fit.",
            { Count: 0 } => "The file fits no catalog architecture.",
            var f => $"The file fits {string.Join(", ", f)}.",
        };
        return $"{w.FilePath}: the weights do not fit the architecture (key map '{w.KeyMapName}'): {string.Join("; ", parts)}. {fits}";
    }

    /// <summary>Collapses line breaks and runs of spaces, and cuts very long messages.</summary>
    internal static string OneLine(string message)
    {
        string line = Whitespace().Replace(message, " ").Trim();
        return line.Length <= MaxMessageLength ? line : string.Concat(line.AsSpan(0, MaxMessageLength - 3), "...");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

using System.Text.RegularExpressions;

namespace TransferKit.Cli.Output;

/// <summary>The command that continues an interrupted <c>train</c>: the same arguments with <c>--resume</c>, quoted for a POSIX shell.</summary>
internal static partial class ResumeHint
{
    /// <summary>The full command line, ready to paste.</summary>
    public static string Command(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var words = arguments.Contains("--resume") ? arguments : [.. arguments, "--resume"];
        return string.Join(' ', new[] { CliApp.Name }.Concat(words.Select(Quote)));
    }

    /// <summary>A word as the shell reads it back: unchanged when safe, else in single quotes.</summary>
    internal static string Quote(string word) =>
        word.Length > 0 && Safe().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^[A-Za-z0-9_./:=,@%+-]+$")]
    private static partial Regex Safe();
}

using Spectre.Console;

namespace TransferKit.Samples;

/// <summary>
/// The samples' console: colours and redrawn progress bars only where a person watches a terminal. Redirected standard
/// output (a log file, a pipe, CI) gets plain text with no escape codes, wide enough that no table row or number
/// wraps; a non-empty <c>NO_COLOR</c> (no-color.org) turns colours off; <c>TERM=dumb</c> turns redrawing off.
/// </summary>
public static class SampleConsole
{
    /// <summary>The width of plain output: a table row stays on one line, however many columns.</summary>
    public const int PlainWidth = 240;

    /// <summary>A console on <paramref name="output"/> (standard output by default).</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="terminal">Whether it is a terminal; null to ask <see cref="Console.IsOutputRedirected"/>.</param>
    public static IAnsiConsole Create(TextWriter? output = null, bool? terminal = null)
    {
        bool isTerminal = (terminal ?? !Console.IsOutputRedirected) && Environment.GetEnvironmentVariable("TERM") is not "dumb";
        bool colour = isTerminal && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output ?? Console.Out),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!isTerminal) console.Profile.Width = PlainWidth;
        return console;
    }
}

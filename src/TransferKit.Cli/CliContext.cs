namespace TransferKit.Cli;

/// <summary>
/// Where a command writes: <see cref="Out"/> for results (tables, reports, and the only thing on it with
/// <c>--json</c>/<c>--csv</c>), <see cref="Error"/> for progress, notes and errors. <see cref="Interactive"/> is true
/// when <see cref="Error"/> is a terminal, so progress may redraw a bar instead of printing lines.
/// </summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error, bool Interactive)
{
    /// <summary>The command line as given (after the program name), for hints that repeat it.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Writes a note for people (never for scripts) to <see cref="Error"/>.</summary>
    public void Note(string message) => Error.WriteLine(message);

    /// <summary>Writes a warning line to <see cref="Error"/>.</summary>
    public void Warn(string message) => Error.WriteLine($"{CliApp.Name}: warning: {message}");
}

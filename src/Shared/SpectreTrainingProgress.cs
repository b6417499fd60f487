using Spectre.Console;
using TransferKit.Training.Callbacks;

namespace TransferKit.Shared;

/// <summary>
/// A live Spectre.Console progress display for one or more training runs in a row (a train command, or each candidate
/// of a comparison), shared as source by the CLI and the samples (the library itself does not depend on
/// Spectre.Console). Each run gets its own bars from <see cref="Begin"/>: one per feature-cache fill, with batch
/// counts, and one for the epochs, each with percentage, remaining and elapsed time. Lines written with
/// <see cref="WriteLine"/> (the epoch log) appear above the bars as they come.
/// </summary>
internal sealed class SpectreTrainingProgress
{
    private readonly IAnsiConsole _console;
    private readonly ProgressContext _context;
    private readonly Lock _lock = new();

    private SpectreTrainingProgress(IAnsiConsole console, ProgressContext context)
    {
        _console = console;
        _context = context;
    }

    /// <summary>Runs <paramref name="run"/> while the display is live on <paramref name="console"/>; the bars stay on screen afterwards.</summary>
    public static Task<T> RunAsync<T>(IAnsiConsole console, Func<SpectreTrainingProgress, Task<T>> run) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            // A narrow bar leaves the description room on an 80-column terminal.
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 20 }, new PercentageColumn(),
                new RemainingTimeColumn(), new ElapsedTimeColumn())
            .StartAsync(context => run(new SpectreTrainingProgress(console, context)));

    /// <summary>One run under a single bar titled <paramref name="title"/> (the samples' form).</summary>
    public static Task<T> TrackAsync<T>(IAnsiConsole console, string title, Func<IProgress<TrainingProgress>, Task<T>> run) =>
        RunAsync(console, live => run(live.Begin(title)));

    /// <summary>Starts the bars of one run; give the result its progress reports (and, as a callback, its epoch ends).</summary>
    public SpectreRunBar Begin(string title) => new(this, Markup.Escape(title));

    /// <summary>Writes a plain line (no markup) above the bars.</summary>
    public void WriteLine(string line)
    {
        lock (_lock) _console.WriteLine(line);
    }

    /// <summary>Adds a bar.</summary>
    internal ProgressTask AddTask(string description, double maxValue)
    {
        lock (_lock) return _context.AddTask(description, maxValue: maxValue);
    }
}

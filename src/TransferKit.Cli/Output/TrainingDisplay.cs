using Spectre.Console;
using TransferKit.Shared;
using TransferKit.Training.Callbacks;

namespace TransferKit.Cli.Output;

/// <summary>
/// Shows training progress on standard error. When standard error is a terminal: live Spectre.Console bars (feature
/// caching with batch counts, then the epochs, with remaining time) and each epoch's log line above them as it ends;
/// <c>NO_COLOR</c> turns the colours off. Otherwise plain lines (<see cref="PlainProgressLog"/>), with no escape codes,
/// which is what a log file or CI wants. It remembers the last finished epoch for <see cref="ReportCancelled"/>.
/// </summary>
internal sealed class TrainingDisplay(CliContext context)
{
    private SpectreTrainingProgress? _live;

    private CliContext Context => context;

    /// <summary>The last epoch any run finished, or null.</summary>
    public EpochResult? LastEpoch { get; private set; }

    /// <summary>Planned epochs of the run that finished <see cref="LastEpoch"/>.</summary>
    private int? _lastTotal;

    /// <summary>A callback for one run (the trainer's).</summary>
    /// <param name="barTitle">The short name on its bars (the architecture).</param>
    /// <param name="logTitle">A line the plain log prints when the run begins (a compared candidate), or null.</param>
    public ITrainingCallback Callback(string barTitle, string? logTitle = null) => new RunCallback(this, barTitle, logTitle);

    /// <summary>Runs <paramref name="train"/> with the bars live when interactive.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (!context.Interactive) return await train().ConfigureAwait(false);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Error),
            // Interactive means standard error is a terminal (CliApp checks it, and TERM=dumb), so the bars may redraw.
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
            ColorSystem = NoColor ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        try
        {
            return await SpectreTrainingProgress.RunAsync(console, live =>
            {
                _live = live;
                return train();
            }).ConfigureAwait(false);
        }
        finally
        {
            _live = null;
        }
    }

    /// <summary>A note on standard error: above the bars while they are live, else a plain line.</summary>
    public void Note(string message)
    {
        if (_live is { } live) live.WriteLine(message);
        else context.Note(message);
    }

    /// <summary>
    /// After Ctrl+C: the last finished epoch's metrics, the checkpoint a resume would continue from, and the exact
    /// command that resumes (or how to make a run resumable when it wrote no checkpoints).
    /// </summary>
    /// <param name="checkpoint">The newest checkpoint file, or null when none was written.</param>
    /// <param name="resumeCommand">The command line that continues the run, or null without <c>--checkpoints</c>.</param>
    public void ReportCancelled(string? checkpoint, string? resumeCommand)
    {
        var error = context.Error;
        error.WriteLine(LastEpoch is { } last
            ? $"stopped after {last.ToLogLine(_lastTotal)}"
            : "stopped before the first epoch ended");
        if (resumeCommand is null)
        {
            error.WriteLine("no checkpoints were written; give --checkpoints DIR to make a run resumable");
        }
        else if (checkpoint is null)
        {
            error.WriteLine("no checkpoint was written yet (one is written after each epoch); run the same command again to start over");
        }
        else
        {
            error.WriteLine($"checkpoint: {checkpoint}");
            error.WriteLine($"to continue: {resumeCommand}");
        }
    }

    /// <summary>The no-color.org convention: a non-empty NO_COLOR turns colours off.</summary>
    internal static bool NoColor => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    /// <summary>Routes one run's events to the live bars or to the plain log, and notes each finished epoch.</summary>
    private sealed class RunCallback(TrainingDisplay display, string barTitle, string? logTitle) : ITrainingCallback
    {
        private readonly PlainProgressLog? _plain = display.Context.Interactive ? null : new PlainProgressLog(display.Context.Error, logTitle);
        private SpectreRunBar? _bar;
        private int _totalEpochs;

        public void OnTrainBegin(TrainingStart start)
        {
            ArgumentNullException.ThrowIfNull(start);
            _totalEpochs = start.TotalEpochs;
            _bar = display._live?.Begin(barTitle);
            Target?.OnTrainBegin(start);
        }

        public void OnEpochBegin(EpochStart epoch) => Target?.OnEpochBegin(epoch);

        public void OnBatchEnd(TrainingProgress progress) => Target?.OnBatchEnd(progress);

        public void OnEpochEnd(EpochResult result)
        {
            display.LastEpoch = result;
            display._lastTotal = _totalEpochs;
            Target?.OnEpochEnd(result);
        }

        public void OnTrainEnd(TrainingResult result) => Target?.OnTrainEnd(result);

        private ITrainingCallback? Target => (ITrainingCallback?)_plain ?? _bar;
    }
}

using Spectre.Console;
using TransferKit.Shared;
using TransferKit.Training.Callbacks;

namespace TransferKit.Cli.Output;

/// <summary>
/// Shows training progress on standard error: a Spectre.Console progress bar moved after every batch when standard
/// error is a terminal, otherwise plain lines (<see cref="PlainProgressLog"/>), which is what a log file or CI wants.
/// </summary>
internal sealed class TrainingDisplay(CliContext context)
{
    private readonly TextLogCallback _log = new(context.Error);

    /// <summary>The callback to give the trainer: the plain log when not interactive, else null (the bar reports instead).</summary>
    public ITrainingCallback? Callback { get; } = context.Interactive ? null : new PlainProgressLog(context.Error);

    /// <summary>Runs <paramref name="train"/>, handing it the bar's progress sink when interactive (else null).</summary>
    public async Task<T> RunAsync<T>(string title, Func<IProgress<TrainingProgress>?, Task<T>> train)
    {
        if (!context.Interactive) return await train(null).ConfigureAwait(false);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Error) });
        return await SpectreTrainingProgress.TrackAsync(console, title, train).ConfigureAwait(false);
    }

    /// <summary>After an interactive run, the epoch lines the plain log would have printed as they came.</summary>
    public void Summarise(TrainingResult result)
    {
        if (!context.Interactive) return;
        foreach (var epoch in result.Epochs) _log.OnEpochEnd(epoch);
        _log.OnTrainEnd(result);
    }
}

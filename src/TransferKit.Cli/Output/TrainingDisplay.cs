using Spectre.Console;
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
        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(title), maxValue: 1);
                var result = await train(new Bar(task, title)).ConfigureAwait(false);
                task.Value = task.MaxValue;
                return result;
            }).ConfigureAwait(false);
    }

    /// <summary>After an interactive run, the epoch lines the plain log would have printed as they came.</summary>
    public void Summarise(TrainingResult result)
    {
        if (!context.Interactive) return;
        foreach (var epoch in result.Epochs) _log.OnEpochEnd(epoch);
        _log.OnTrainEnd(result);
    }

    /// <summary>
    /// Moves the bar on the training thread itself: a <see cref="Progress{T}"/> would post each report to the thread
    /// pool, where reports can arrive out of order.
    /// </summary>
    private sealed class Bar(ProgressTask task, string title) : IProgress<TrainingProgress>
    {
        private readonly string _title = Markup.Escape(title);

        public void Report(TrainingProgress value)
        {
            string epoch = $"epoch {value.Epoch + 1}/{value.TotalEpochs}";
            switch (value.Phase)
            {
                case TrainingPhase.CachingFeatures:
                    task.Description = $"{_title} [grey]caching frozen features[/]";
                    break;
                case TrainingPhase.Training:
                    task.Value = Math.Min(1, (value.Epoch + value.Fraction) / value.TotalEpochs);
                    task.Description = FormattableString.Invariant($"{_title} [grey]{epoch}, loss {value.Loss:F3}[/]");
                    break;
                case TrainingPhase.Validation:
                    task.Description = $"{_title} [grey]{epoch}, validating[/]";
                    break;
            }
        }
    }
}

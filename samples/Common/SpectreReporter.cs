using Spectre.Console;
using TransferKit.Training.Callbacks;

namespace TransferKit.Samples;

/// <summary>Reports to the console with Spectre.Console: one progress bar per training run.</summary>
public sealed class SpectreReporter : IExperimentReporter
{
    /// <inheritdoc/>
    public void Info(string message) => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]");

    /// <inheritdoc/>
    public Task<T> TrackAsync<T>(string title, Func<IProgress<TrainingProgress>, Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(title), maxValue: 1);
                var result = await run(new Bar(task, title)).ConfigureAwait(false);
                task.Value = task.MaxValue;
                return result;
            });
    }

    /// <summary>
    /// Moves the bar synchronously on the training thread (a <see cref="Progress{T}"/> would post reports to the thread
    /// pool, where they can arrive out of order).
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
                    task.Description = $"{_title} [grey]{epoch} loss {value.Loss:F3}[/]";
                    break;
                case TrainingPhase.Validation:
                    task.Description = $"{_title} [grey]{epoch} validating[/]";
                    break;
            }
        }
    }
}

using Spectre.Console;
using TransferKit.Training.Callbacks;

namespace TransferKit.Shared;

/// <summary>
/// One Spectre.Console progress bar for one training run, shared as source by the CLI and the samples (the library
/// itself does not depend on Spectre.Console).
/// </summary>
internal static class SpectreTrainingProgress
{
    /// <summary>Runs <paramref name="run"/> under a bar titled <paramref name="title"/> on <paramref name="console"/>, and fills it at the end.</summary>
    public static Task<T> TrackAsync<T>(IAnsiConsole console, string title, Func<IProgress<TrainingProgress>, Task<T>> run) =>
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(title), maxValue: 1);
                var result = await run(new Bar(task, title)).ConfigureAwait(false);
                task.Value = task.MaxValue;
                return result;
            });

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

using Spectre.Console;
using TransferKit.Shared;
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
        return SpectreTrainingProgress.TrackAsync(AnsiConsole.Console, title, run);
    }
}

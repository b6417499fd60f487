using System.Globalization;
using Spectre.Console;
using TransferKit.Shared;
using TransferKit.Training.Callbacks;

namespace TransferKit.Samples;

/// <summary>
/// Reports to a <see cref="SampleConsole"/>: a live progress bar per training run on a terminal, and on plain output
/// one line per finished epoch instead (a bar cannot redraw in a log file).
/// </summary>
/// <param name="console">Where to write; null for <see cref="SampleConsole.Create"/> on standard output.</param>
public sealed class SpectreReporter(IAnsiConsole? console = null) : IExperimentReporter
{
    /// <summary>The console everything goes to (the samples' tables too).</summary>
    public IAnsiConsole Console { get; } = console ?? SampleConsole.Create();

    /// <inheritdoc/>
    public void Info(string message) => Console.MarkupLine($"[grey]{Markup.Escape(message)}[/]");

    /// <inheritdoc/>
    public Task<T> TrackAsync<T>(string title, Func<IProgress<TrainingProgress>, Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (Console.Profile.Capabilities.Interactive) return SpectreTrainingProgress.TrackAsync(Console, title, run);
        Console.WriteLine($"{title}:");
        return run(new EpochLines(Console));
    }

    /// <summary>A line at the end of each training epoch and of each feature-cache fill (reported on the training thread).</summary>
    private sealed class EpochLines(IAnsiConsole console) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Batch + 1 != value.TotalBatches) return;
            if (value.Phase == TrainingPhase.CachingFeatures)
                console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  cached {value.TotalBatches} batches of frozen features, {value.ImagesPerSecond:F0} img/s"));
            else if (value.Phase == TrainingPhase.Training)
                console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  epoch {value.Epoch}/{value.TotalEpochs}: train loss {value.Loss:F4}, {value.ImagesPerSecond:F0} img/s"));
        }
    }
}

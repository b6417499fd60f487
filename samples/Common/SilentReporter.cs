using TransferKit.Training.Callbacks;

namespace TransferKit.Samples;

/// <summary>Reports nothing (tests).</summary>
public sealed class SilentReporter : IExperimentReporter
{
    /// <inheritdoc/>
    public void Info(string message)
    {
    }

    /// <inheritdoc/>
    public Task<T> TrackAsync<T>(string title, Func<IProgress<TrainingProgress>, Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run(new Progress<TrainingProgress>());
    }
}

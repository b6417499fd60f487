using TransferKit.Training.Callbacks;

namespace TransferKit.Samples;

/// <summary>Where an experiment reports what it is doing: the console, or nowhere in tests.</summary>
public interface IExperimentReporter
{
    /// <summary>A line of information.</summary>
    void Info(string message);

    /// <summary>Runs one training run, showing its per-batch progress under <paramref name="title"/>.</summary>
    Task<T> TrackAsync<T>(string title, Func<IProgress<TrainingProgress>, Task<T>> run);
}

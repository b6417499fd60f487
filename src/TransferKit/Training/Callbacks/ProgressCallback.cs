namespace TransferKit.Training.Callbacks;

/// <summary>
/// Forwards every <see cref="ITrainingCallback.OnBatchEnd"/> to an <see cref="IProgress{T}"/>, such as
/// <see cref="Progress{T}"/> for a UI thread.
/// </summary>
/// <param name="progress">Receives the reports.</param>
public sealed class ProgressCallback(IProgress<TrainingProgress> progress) : ITrainingCallback
{
    private readonly IProgress<TrainingProgress> _progress = progress ?? throw new ArgumentNullException(nameof(progress));

    /// <inheritdoc />
    public void OnBatchEnd(TrainingProgress progress) => _progress.Report(progress);
}

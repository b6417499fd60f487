namespace TransferKit.Training.Callbacks;

/// <summary>
/// Writes a training log, one line per epoch as it ends (and the start and end of the run, when feature caching
/// starts, and each <see cref="TrainingWarning"/> as <c>warning: ...</c>), to a <see cref="TextWriter"/> such as <see cref="Console.Out"/> or a log file:
/// <c>epoch 3/10: train loss 0.4123, accuracy 84.2%; validation loss 0.3871, accuracy 86.0%; lr 0.001; 12.3 s, 160 img/s</c>.
/// Plain text: no colour codes, no cursor movement, numbers culture-invariant. Epochs count from 1.
/// </summary>
public sealed class TextLogCallback(TextWriter writer) : ITrainingCallback
{
    private readonly TextWriter _writer = writer ?? throw new ArgumentNullException(nameof(writer));

    private int? _totalEpochs;

    /// <inheritdoc />
    public void OnTrainBegin(TrainingStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        _totalEpochs = start.TotalEpochs;
        string validation = start.ValidationImages is int v ? FormattableString.Invariant($", {v} validation images") : "";
        Write(FormattableString.Invariant($"training: {start.TrainImages} images{validation}, {start.TotalEpochs} epochs of {start.BatchesPerEpoch} batches"));
    }

    /// <inheritdoc />
    public void OnBatchEnd(TrainingProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        // Caching can take minutes before the first epoch line: say what is happening once, when it starts.
        if (progress.Phase == TrainingPhase.CachingFeatures && progress.Batch == 0)
            Write(FormattableString.Invariant($"caching the frozen units' output ({progress.TotalBatches} batches, computed once and reused every epoch)"));
    }

    /// <inheritdoc />
    public void OnWarning(TrainingWarning warning)
    {
        ArgumentNullException.ThrowIfNull(warning);
        Write(warning.ToString());
    }

    /// <inheritdoc />
    public void OnEpochEnd(EpochResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Write(result.ToLogLine(_totalEpochs));
    }

    /// <inheritdoc />
    public void OnTrainEnd(TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Write("done: " + result.Headline());
    }

    private void Write(string line)
    {
        _writer.WriteLine(line);
        _writer.Flush();
    }
}

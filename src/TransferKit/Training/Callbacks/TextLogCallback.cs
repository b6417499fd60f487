namespace TransferKit.Training.Callbacks;

/// <summary>
/// Writes a training log, one line per epoch (and the start and end of the run), to a <see cref="TextWriter"/> such as
/// <see cref="Console.Out"/> or a log file:
/// <c>epoch 3/10: train loss 0.4123, accuracy 84.2%; validation loss 0.3871, accuracy 86.0%; lr 0.001; 12.3 s, 160 img/s</c>.
/// </summary>
public sealed class TextLogCallback(TextWriter writer) : ITrainingCallback
{
    private readonly TextWriter _writer = writer ?? throw new ArgumentNullException(nameof(writer));

    /// <inheritdoc />
    public void OnTrainBegin(TrainingStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        string validation = start.ValidationImages is int v ? FormattableString.Invariant($", {v} validation images") : "";
        Write(FormattableString.Invariant($"training: {start.TrainImages} images{validation}, {start.TotalEpochs} epochs of {start.BatchesPerEpoch} batches"));
    }

    /// <inheritdoc />
    public void OnEpochEnd(EpochResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string validation = result.ValidationLoss is double vl
            ? FormattableString.Invariant($"; validation loss {vl:F4}, accuracy {result.ValidationAccuracy:P1}")
            : "";
        Write(FormattableString.Invariant($"epoch {result.Epoch + 1}: train loss {result.TrainLoss:F4}, accuracy {result.TrainAccuracy:P1}{validation}; ") +
              FormattableString.Invariant($"lr {result.LearningRate:G4}; {result.Duration.TotalSeconds:F1} s, {result.ImagesPerSecond:F0} img/s"));
    }

    /// <inheritdoc />
    public void OnTrainEnd(TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string best = result.BestEpoch is int b ? FormattableString.Invariant($", best epoch {b + 1}") : "";
        string early = result.StoppedEarly ? ", stopped early" : "";
        Write(FormattableString.Invariant($"done: {result.Epochs.Count} epochs in {result.TotalTime.TotalSeconds:F1} s{best}{early}"));
    }

    private void Write(string line)
    {
        _writer.WriteLine(line);
        _writer.Flush();
    }
}

using System.Globalization;
using TransferKit.Training.Callbacks;

namespace TransferKit.Cli.Output;

/// <summary>
/// Progress lines for a log (standard error not a terminal): the library's one line per epoch as it ends, plus a line
/// when the frozen units' output starts caching and every tenth of a long cache fill or epoch, with batch counts, so a
/// run of minutes per phase still shows it is alive. Plain text: no escape codes, and no line is ever wrapped.
/// </summary>
/// <param name="writer">Where the lines go.</param>
/// <param name="title">A name printed when a run begins (a compared candidate), or null.</param>
internal sealed class PlainProgressLog(TextWriter writer, string? title = null) : ITrainingCallback
{
    /// <summary>Epochs shorter than this many batches print no batch lines.</summary>
    private const int LongEpochBatches = 20;

    private readonly TextLogCallback _epochs = new(writer);

    /// <inheritdoc />
    public void OnTrainBegin(TrainingStart start)
    {
        if (title is not null) writer.WriteLine($"{title}:");
        _epochs.OnTrainBegin(start);
    }

    /// <inheritdoc />
    public void OnBatchEnd(TrainingProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        _epochs.OnBatchEnd(progress);
        if (progress.Phase == TrainingPhase.Validation || progress.TotalBatches < LongEpochBatches || progress.Batch + 1 == progress.TotalBatches) return;
        // Batch b closes a tenth when it is the last batch of that tenth: the tenths split the batches evenly.
        int tenth = (progress.Batch + 1) * 10 / progress.TotalBatches;
        if (tenth == progress.Batch * 10 / progress.TotalBatches) return;
        string where = progress.Phase == TrainingPhase.CachingFeatures ? "caching" : FormattableString.Invariant($"epoch {progress.Epoch}/{progress.TotalEpochs}");
        string loss = progress.Loss is double l ? FormattableString.Invariant($", loss {l:F4}") : "";
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {where}: batch {progress.Batch + 1}/{progress.TotalBatches}{loss}, {progress.ImagesPerSecond:F0} img/s"));
        writer.Flush();
    }

    /// <inheritdoc />
    public void OnEpochEnd(EpochResult result) => _epochs.OnEpochEnd(result);

    /// <inheritdoc />
    public void OnTrainEnd(TrainingResult result) => _epochs.OnTrainEnd(result);
}

using System.Globalization;
using TransferKit.Training.Callbacks;

namespace TransferKit.Shared;

/// <summary>
/// The bars of one training run in a <see cref="SpectreTrainingProgress"/>: a bar per feature-cache fill that counts
/// its batches, then one over all epochs with the running loss. Moved on the training thread itself (a
/// <see cref="Progress{T}"/> would post each report to the thread pool, where reports can arrive out of order). As a
/// callback it also writes the epoch log (<see cref="TextLogCallback"/>'s lines) above the bars as each epoch ends.
/// </summary>
internal sealed class SpectreRunBar : IProgress<TrainingProgress>, ITrainingCallback
{
    private readonly SpectreTrainingProgress _live;
    private readonly string _title;
    private readonly TextLogCallback _log;
    private Spectre.Console.ProgressTask? _cache;
    private int _cacheFills;
    private Spectre.Console.ProgressTask? _epochs;

    internal SpectreRunBar(SpectreTrainingProgress live, string escapedTitle)
    {
        _live = live;
        _title = escapedTitle;
        _log = new TextLogCallback(new LineWriter(live));
    }

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (value.Phase)
        {
            case TrainingPhase.CachingFeatures:
                // Each fill restarts at batch 0 and gets a bar of its own: the fit fills the training set's, then the validation set's.
                if (value.Batch == 0 || _cache is null)
                {
                    _cacheFills++;
                    _cache = _live.AddTask(CacheDescription(0, value.TotalBatches), value.TotalBatches);
                }
                _cache.Value = value.Batch + 1;
                _cache.Description = CacheDescription(value.Batch + 1, value.TotalBatches);
                break;
            case TrainingPhase.Training:
                _epochs ??= _live.AddTask(_title, value.TotalEpochs);
                _epochs.Value = Math.Min(value.TotalEpochs, value.Epoch - 1 + value.Fraction);
                _epochs.Description = string.Create(CultureInfo.InvariantCulture, $"{_title} [grey]epoch {value.Epoch}/{value.TotalEpochs} loss {value.Loss:F3}[/]");
                break;
            case TrainingPhase.Validation:
                if (_epochs is not null) _epochs.Description = string.Create(CultureInfo.InvariantCulture, $"{_title} [grey]epoch {value.Epoch}/{value.TotalEpochs}, validating[/]");
                break;
        }
    }

    private string CacheDescription(int done, int total) =>
        string.Create(CultureInfo.InvariantCulture, $"{_title} [grey]caching {(_cacheFills == 1 ? "train" : "validation")} {done}/{total}[/]");

    /// <inheritdoc />
    public void OnTrainBegin(TrainingStart start) => _log.OnTrainBegin(start);

    /// <inheritdoc />
    public void OnBatchEnd(TrainingProgress progress) => Report(progress);

    /// <inheritdoc />
    public void OnEpochEnd(EpochResult result) => _log.OnEpochEnd(result);

    /// <inheritdoc />
    public void OnTrainEnd(TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        // Early stopping ends before the planned epochs: the bar says the run is over rather than stalling part-way.
        if (_epochs is not null) _epochs.Value = _epochs.MaxValue;
        _log.OnTrainEnd(result);
    }

    /// <summary>Collects what the log writes into whole lines and puts each above the bars.</summary>
    private sealed class LineWriter(SpectreTrainingProgress live) : StringWriter(CultureInfo.InvariantCulture)
    {
        public override void WriteLine(string? value)
        {
            Write(value);
            var builder = GetStringBuilder();
            live.WriteLine(builder.ToString());
            builder.Clear();
        }
    }
}

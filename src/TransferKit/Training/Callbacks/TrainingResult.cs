namespace TransferKit.Training.Callbacks;

/// <summary>The history of a fit, passed to <see cref="ITrainingCallback.OnTrainEnd"/>.</summary>
/// <param name="Epochs">Each finished epoch in order.</param>
/// <param name="BestEpoch">
/// The epoch the early-stopping metric liked best (whose weights were kept when restoring), or null when no metric was
/// watched.
/// </param>
/// <param name="StoppedEarly">Whether early stopping ended training before the planned epochs.</param>
/// <param name="TotalTime">Wall time of the whole fit.</param>
public sealed record TrainingResult(IReadOnlyList<EpochResult> Epochs, int? BestEpoch, bool StoppedEarly, TimeSpan TotalTime)
{
    /// <summary>The result of <see cref="BestEpoch"/>, or null when it is null or not in <see cref="Epochs"/>.</summary>
    public EpochResult? Best => BestEpoch is { } best ? Epochs.FirstOrDefault(e => e.Epoch == best) : null;

    /// <summary>The last finished epoch, or null when none finished.</summary>
    public EpochResult? Last => Epochs.Count > 0 ? Epochs[^1] : null;
}

namespace TransferKit.Training.Schedules;

/// <summary>
/// PyTorch's <c>CosineAnnealingLR</c> in its closed form: <c>etaMin + (lr - etaMin) * (1 + cos(pi * t / tMax)) / 2</c>,
/// where t is the epoch (or the global step for <see cref="ScheduleInterval.Step"/>). Past <c>tMax</c> the rate rises
/// again along the same cosine (period <c>2 tMax</c>), as PyTorch's recursive form does. SGDR without restarts
/// (Loshchilov and Hutter, 2017).
/// </summary>
public sealed class CosineAnnealingSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="tMax">Counts from the base rate down to <paramref name="etaMin"/>, at least 1.</param>
    /// <param name="etaMin">The lowest rate (default 0), non-negative. At t = tMax the rate equals it, and the optimizer
    /// rejects a rate of 0, so with etaMin 0 choose tMax at least the number of counts trained.</param>
    /// <param name="interval">Whether t is the epoch (default) or the global step.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public CosineAnnealingSchedule(int tMax, double etaMin = 0, ScheduleInterval interval = ScheduleInterval.Epoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tMax, 1);
        if (!(etaMin >= 0) || double.IsInfinity(etaMin))
            throw new ArgumentOutOfRangeException(nameof(etaMin), etaMin, "etaMin must be non-negative and finite.");
        if (!Enum.IsDefined(interval)) throw new ArgumentOutOfRangeException(nameof(interval), interval, "Unknown schedule interval.");
        TMax = tMax;
        EtaMin = etaMin;
        Interval = interval;
    }

    /// <summary>Counts of the half period.</summary>
    public int TMax { get; }

    /// <summary>The lowest rate.</summary>
    public double EtaMin { get; }

    /// <summary>What t counts.</summary>
    public ScheduleInterval Interval { get; }

    /// <inheritdoc />
    public double LearningRateAt(double baseLearningRate, SchedulePosition position) =>
        EtaMin + (baseLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * position.Count(Interval) / TMax)) / 2;
}

namespace TransferKit.Training.Schedules;

/// <summary>
/// Multiplies another schedule by a linear warm-up factor, as PyTorch's <c>LinearLR</c> (end factor 1) chained in
/// front of it with <c>ChainedScheduler</c>: the factor is <c>startFactor + (1 - startFactor) * min(t, warmup) / warmup</c>,
/// where t is the global step (or the epoch for <see cref="ScheduleInterval.Epoch"/>). The inner schedule's momentum
/// passes through unchanged.
/// </summary>
public sealed class LinearWarmupSchedule : ILearningRateSchedule
{
    /// <summary>Creates the wrapper.</summary>
    /// <param name="inner">The schedule to warm up.</param>
    /// <param name="warmup">Counts until the factor reaches 1 (PyTorch's <c>total_iters</c>), at least 1.</param>
    /// <param name="startFactor">The factor at t = 0, in (0, 1]; default 1/3 as PyTorch's.</param>
    /// <param name="interval">Whether t is the global step (default) or the epoch.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public LinearWarmupSchedule(ILearningRateSchedule inner, int warmup, double startFactor = 1.0 / 3, ScheduleInterval interval = ScheduleInterval.Step)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(warmup, 1);
        // PyTorch accepts 0 but then divides by zero on its second step; a zero rate is also rejected by the optimizer.
        if (!(startFactor is > 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "startFactor must be in (0, 1].");
        if (!Enum.IsDefined(interval)) throw new ArgumentOutOfRangeException(nameof(interval), interval, "Unknown schedule interval.");
        Inner = inner;
        Warmup = warmup;
        StartFactor = startFactor;
        Interval = interval;
    }

    /// <summary>The wrapped schedule.</summary>
    public ILearningRateSchedule Inner { get; }

    /// <summary>Counts until the factor reaches 1.</summary>
    public int Warmup { get; }

    /// <summary>The factor at t = 0.</summary>
    public double StartFactor { get; }

    /// <summary>What t counts.</summary>
    public ScheduleInterval Interval { get; }

    /// <summary>The warm-up factor at <paramref name="position"/>, in [<see cref="StartFactor"/>, 1].</summary>
    public double Factor(SchedulePosition position) =>
        StartFactor + (1 - StartFactor) * Math.Min(Warmup, position.Count(Interval)) / Warmup;

    /// <inheritdoc />
    public double LearningRateAt(double baseLearningRate, SchedulePosition position) =>
        Inner.LearningRateAt(baseLearningRate, position) * Factor(position);

    /// <inheritdoc />
    public double? MomentumAt(SchedulePosition position) => Inner.MomentumAt(position);
}

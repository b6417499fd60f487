namespace TransferKit.Training.Schedules;

/// <summary>
/// PyTorch's <c>ExponentialLR</c>: the base rate times <c>gamma^count</c>, where count is the epoch (or the global
/// step for <see cref="ScheduleInterval.Step"/>).
/// </summary>
public sealed class ExponentialSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="gamma">Factor per count, positive and finite.</param>
    /// <param name="interval">Whether the counter is the epoch (default) or the global step.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public ExponentialSchedule(double gamma, ScheduleInterval interval = ScheduleInterval.Epoch)
    {
        if (!(gamma > 0) || double.IsInfinity(gamma))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be positive and finite.");
        if (!Enum.IsDefined(interval)) throw new ArgumentOutOfRangeException(nameof(interval), interval, "Unknown schedule interval.");
        Gamma = gamma;
        Interval = interval;
    }

    /// <summary>Factor per count.</summary>
    public double Gamma { get; }

    /// <summary>What the counter counts.</summary>
    public ScheduleInterval Interval { get; }

    /// <inheritdoc />
    public double LearningRateAt(double baseLearningRate, SchedulePosition position) =>
        baseLearningRate * Math.Pow(Gamma, position.Count(Interval));
}

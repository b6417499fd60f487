namespace TransferKit.Training.Schedules;

/// <summary>
/// PyTorch's <c>StepLR</c>: the base rate times <c>gamma^floor(count / stepSize)</c>, where count is the epoch (or
/// the global step for <see cref="ScheduleInterval.Step"/>). <see cref="MlNetDefault"/> is ML.NET's image
/// classification default.
/// </summary>
public sealed class StepSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="stepSize">Counts between decays (PyTorch's <c>step_size</c>), at least 1.</param>
    /// <param name="gamma">Factor applied at each decay (default 0.1), positive and finite.</param>
    /// <param name="interval">Whether the counter is the epoch (default) or the global step.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public StepSchedule(int stepSize, double gamma = 0.1, ScheduleInterval interval = ScheduleInterval.Epoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        if (!(gamma > 0) || double.IsInfinity(gamma))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be positive and finite.");
        if (!Enum.IsDefined(interval)) throw new ArgumentOutOfRangeException(nameof(interval), interval, "Unknown schedule interval.");
        StepSize = stepSize;
        Gamma = gamma;
        Interval = interval;
    }

    /// <summary>
    /// ML.NET's <c>ImageClassificationTrainer</c> default decay: times 0.94 every 2 epochs, staircase
    /// (<c>lr * 0.94^floor(epoch / 2)</c>); ML.NET's base rate is 0.01.
    /// </summary>
    public static StepSchedule MlNetDefault { get; } = new(2, 0.94);

    /// <summary>Counts between decays.</summary>
    public int StepSize { get; }

    /// <summary>Factor applied at each decay.</summary>
    public double Gamma { get; }

    /// <summary>What the counter counts.</summary>
    public ScheduleInterval Interval { get; }

    /// <inheritdoc />
    public double LearningRateAt(double baseLearningRate, SchedulePosition position) =>
        baseLearningRate * Math.Pow(Gamma, position.Count(Interval) / StepSize);
}

namespace TransferKit.Training.Schedules;

/// <summary>The base learning rate at every step (no scheduling).</summary>
public sealed class ConstantSchedule : ILearningRateSchedule
{
    /// <summary>The shared instance.</summary>
    public static ConstantSchedule Instance { get; } = new();

    /// <inheritdoc />
    public double LearningRateAt(double baseLearningRate, SchedulePosition position) => baseLearningRate;
}

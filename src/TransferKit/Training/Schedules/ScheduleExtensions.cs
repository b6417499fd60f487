using TransferKit.Training.Optimizers;

namespace TransferKit.Training.Schedules;

/// <summary>Applies a schedule to an optimizer before each step.</summary>
public static class ScheduleExtensions
{
    /// <summary>
    /// Sets <paramref name="optimizer"/>'s base <see cref="Optimizer.LearningRate"/> to the schedule's rate at
    /// <paramref name="position"/> (rounded to float) and returns the rate. Groups keep their multipliers.
    /// Momentum from <see cref="ILearningRateSchedule.MomentumAt"/> is not applied: <see cref="Sgd.Momentum"/> and
    /// <see cref="Adam.Beta1"/> are read-only.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The rate is zero, negative, not finite, or underflows float
    /// (the optimizer accepts only positive rates), or the position is past a fixed-length schedule.</exception>
    public static double ApplyTo(this ILearningRateSchedule schedule, Optimizer optimizer, double baseLearningRate, SchedulePosition position)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(optimizer);
        double lr = schedule.LearningRateAt(baseLearningRate, position);
        optimizer.LearningRate = (float)lr;
        return lr;
    }
}

using TransferKit.Training.Optimizers;

namespace TransferKit.Training.Schedules;

/// <summary>Applies a schedule to an optimizer before each step.</summary>
public static class ScheduleExtensions
{
    /// <summary>
    /// Sets <paramref name="optimizer"/>'s base <see cref="Optimizer.LearningRate"/> to the schedule's rate at
    /// <paramref name="position"/> (rounded to float) and returns the rate. Groups keep their multipliers.
    /// When the schedule cycles momentum (one-cycle), <see cref="Sgd.Momentum"/> or <see cref="Adam.Beta1"/> follows it,
    /// as PyTorch's OneCycleLR does (SGD without momentum is left alone).
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The rate is negative or not finite, or the position is past a fixed-length schedule.</exception>
    public static double ApplyTo(this ILearningRateSchedule schedule, Optimizer optimizer, double baseLearningRate, SchedulePosition position)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(optimizer);
        double lr = schedule.LearningRateAt(baseLearningRate, position);
        optimizer.LearningRate = (float)lr;
        if (schedule.MomentumAt(position) is double momentum)
        {
            if (optimizer is Adam adam) adam.Beta1 = (float)momentum;
            else if (optimizer is Sgd { Momentum: > 0 } sgd) sgd.Momentum = (float)momentum;
        }
        return lr;
    }
}

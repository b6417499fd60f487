namespace TransferKit.Training.Schedules;

/// <summary>
/// A learning-rate schedule: the rate of each optimizer step as a function of the position in training and a base
/// rate (the optimizer's rate before scheduling). Schedules are stateless, so they can be evaluated at any position,
/// resumed from a checkpoint, and plotted ahead of training. Parameter groups multiply the result by their
/// <see cref="Optimizers.ParameterGroup.LearningRateMultiplier"/> (see <see cref="DiscriminativeLearningRates"/>).
/// Values are computed in double precision with PyTorch 1.13's formulas.
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate of the optimizer step at <paramref name="position"/>.</summary>
    /// <param name="baseLearningRate">The unscheduled rate (PyTorch's <c>initial_lr</c>; for one-cycle, <c>max_lr</c>).</param>
    /// <param name="position">Epoch and batch of the step.</param>
    /// <exception cref="ArgumentOutOfRangeException">The position lies beyond a schedule of fixed length.</exception>
    double LearningRateAt(double baseLearningRate, SchedulePosition position);

    /// <summary>
    /// The momentum (SGD's momentum, Adam's beta1) the schedule wants at <paramref name="position"/>, or null (the
    /// default) when it leaves momentum alone. One-cycle cycles it inversely to the rate.
    /// </summary>
    double? MomentumAt(SchedulePosition position) => null;
}

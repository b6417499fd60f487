namespace TransferKit.Training.Schedules;

/// <summary>
/// Polynomial decay stated per epochs, as ML.NET's <c>PolynomialLRDecay</c> (TensorFlow's <c>polynomial_decay</c>):
/// over <c>d = DecayEpochs * StepsPerEpoch</c> optimizer steps the rate falls from the base rate to
/// <see cref="EndLearningRate"/> as <c>(lr - end) * (1 - step / d)^power + end</c>, then stays at the end rate; with
/// <see cref="Cycle"/> it restarts instead, <c>d</c> growing to the next multiple of itself beyond the step.
/// Evaluated every batch (it is a per-step schedule).
/// </summary>
public sealed class PolynomialDecaySchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule; the defaults are ML.NET's.</summary>
    /// <param name="decayEpochs">Epochs over which the rate decays (default 2), positive and finite.</param>
    /// <param name="endLearningRate">The rate reached at the end of the decay (default 1e-4), non-negative and finite.</param>
    /// <param name="power">Exponent of the polynomial (default 1: linear), positive and finite.</param>
    /// <param name="cycle">Whether the decay restarts after <paramref name="decayEpochs"/> (default false).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public PolynomialDecaySchedule(double decayEpochs = 2, double endLearningRate = 1e-4, double power = 1, bool cycle = false)
    {
        if (!(decayEpochs > 0) || double.IsInfinity(decayEpochs))
            throw new ArgumentOutOfRangeException(nameof(decayEpochs), decayEpochs, "decayEpochs must be positive and finite.");
        if (!(endLearningRate >= 0) || double.IsInfinity(endLearningRate))
            throw new ArgumentOutOfRangeException(nameof(endLearningRate), endLearningRate, "endLearningRate must be non-negative and finite.");
        if (!(power > 0) || double.IsInfinity(power))
            throw new ArgumentOutOfRangeException(nameof(power), power, "power must be positive and finite.");
        DecayEpochs = decayEpochs;
        EndLearningRate = endLearningRate;
        Power = power;
        Cycle = cycle;
    }

    /// <summary>Epochs over which the rate decays.</summary>
    public double DecayEpochs { get; }

    /// <summary>The rate at the end of the decay.</summary>
    public double EndLearningRate { get; }

    /// <summary>Exponent of the polynomial.</summary>
    public double Power { get; }

    /// <summary>Whether the decay restarts.</summary>
    public bool Cycle { get; }

    /// <inheritdoc />
    public double LearningRateAt(double baseLearningRate, SchedulePosition position)
    {
        double decaySteps = DecayEpochs * position.StepsPerEpoch;
        double step = position.GlobalStep;
        if (Cycle) decaySteps *= Math.Max(1, Math.Ceiling(step / decaySteps));
        else step = Math.Min(step, decaySteps);
        return (baseLearningRate - EndLearningRate) * Math.Pow(1 - step / decaySteps, Power) + EndLearningRate;
    }
}

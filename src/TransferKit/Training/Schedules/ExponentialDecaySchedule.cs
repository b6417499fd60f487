namespace TransferKit.Training.Schedules;

/// <summary>
/// Exponential decay stated per epochs, as ML.NET's (TensorFlow's <c>exponential_decay</c>):
/// <c>lr * decayRate^(e / decayEpochs)</c>, where e is the whole epoch when <see cref="Staircase"/> is set
/// (the exponent is then floored) and the fractional epoch (<see cref="SchedulePosition.FractionalEpoch"/>)
/// otherwise, so the rate falls a little every batch. The default equals <see cref="StepSchedule.MlNetDefault"/>.
/// </summary>
public sealed class ExponentialDecaySchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="decayRate">Factor per <paramref name="decayEpochs"/> epochs (default 0.94), positive and finite.</param>
    /// <param name="decayEpochs">Epochs per decay (default 2), positive and finite.</param>
    /// <param name="staircase">Whether the rate changes only at whole multiples of <paramref name="decayEpochs"/> (default true).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public ExponentialDecaySchedule(double decayRate = 0.94, double decayEpochs = 2, bool staircase = true)
    {
        if (!(decayRate > 0) || double.IsInfinity(decayRate))
            throw new ArgumentOutOfRangeException(nameof(decayRate), decayRate, "decayRate must be positive and finite.");
        if (!(decayEpochs > 0) || double.IsInfinity(decayEpochs))
            throw new ArgumentOutOfRangeException(nameof(decayEpochs), decayEpochs, "decayEpochs must be positive and finite.");
        DecayRate = decayRate;
        DecayEpochs = decayEpochs;
        Staircase = staircase;
    }

    /// <summary>Factor per <see cref="DecayEpochs"/> epochs.</summary>
    public double DecayRate { get; }

    /// <summary>Epochs per decay.</summary>
    public double DecayEpochs { get; }

    /// <summary>Whether the exponent is floored to whole decays.</summary>
    public bool Staircase { get; }

    /// <inheritdoc />
    public double LearningRateAt(double baseLearningRate, SchedulePosition position)
    {
        double exponent = Staircase ? Math.Floor(position.Epoch / DecayEpochs) : position.FractionalEpoch / DecayEpochs;
        return baseLearningRate * Math.Pow(DecayRate, exponent);
    }
}

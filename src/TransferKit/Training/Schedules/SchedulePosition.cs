namespace TransferKit.Training.Schedules;

/// <summary>
/// Where training is when a learning rate is needed: the zero-based epoch, the zero-based batch (optimizer step)
/// within it, and how many batches an epoch has. PyTorch's <c>last_epoch</c> counter corresponds to
/// <see cref="Epoch"/> for schedules stepped once per epoch and to <see cref="GlobalStep"/> for those stepped per batch.
/// </summary>
public readonly record struct SchedulePosition
{
    /// <summary>Creates a position.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="epoch"/> is negative, <paramref name="stepsPerEpoch"/> is below 1, or <paramref name="step"/>
    /// is outside [0, <paramref name="stepsPerEpoch"/>).
    /// </exception>
    public SchedulePosition(int epoch, int step, int stepsPerEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, stepsPerEpoch);
        Epoch = epoch;
        Step = step;
        StepsPerEpoch = stepsPerEpoch;
    }

    /// <summary>Zero-based epoch.</summary>
    public int Epoch { get; }

    /// <summary>Zero-based batch within the epoch.</summary>
    public int Step { get; }

    /// <summary>Batches (optimizer steps) per epoch, at least 1.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>Zero-based optimizer step counted from the start of training: <c>Epoch * StepsPerEpoch + Step</c>.</summary>
    public long GlobalStep => (long)Epoch * StepsPerEpoch + Step;

    /// <summary>Epochs done so far as a fraction, <c>Epoch + Step / StepsPerEpoch</c>.</summary>
    public double FractionalEpoch => Epoch + (double)Step / StepsPerEpoch;

    /// <summary>The counter a schedule stepped per <paramref name="interval"/> sees: the epoch or the global step.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not a defined value.</exception>
    public long Count(ScheduleInterval interval) => interval switch
    {
        ScheduleInterval.Epoch => Epoch,
        ScheduleInterval.Step => GlobalStep,
        _ => throw new ArgumentOutOfRangeException(nameof(interval), interval, "Unknown schedule interval."),
    };

    /// <summary>The position of zero-based optimizer step <paramref name="globalStep"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative or the epoch does not fit an <see cref="int"/>.</exception>
    public static SchedulePosition FromGlobalStep(long globalStep, int stepsPerEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(globalStep);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        long epoch = globalStep / stepsPerEpoch;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(epoch, int.MaxValue, nameof(globalStep));
        return new SchedulePosition((int)epoch, (int)(globalStep % stepsPerEpoch), stepsPerEpoch);
    }
}

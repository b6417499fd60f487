namespace TransferKit.Training.Schedules;

/// <summary>
/// PyTorch 1.13's <c>OneCycleLR</c> (Smith and Topin, 2019, "Super-Convergence"), stepped per batch. The rate goes
/// from <c>max / DivFactor</c> up to <c>max</c> over the first <c>PctStart</c> of the cycle, then down to
/// <c>max / DivFactor / FinalDivFactor</c>; momentum moves the opposite way between <c>MaxMomentum</c> and
/// <c>BaseMomentum</c>. Phase boundaries are PyTorch's, including their off-by-one quirks: phase one ends at step
/// <c>PctStart * total - 1</c> and the next phase counts from that end step, not from the one after it.
/// </summary>
public sealed class OneCycleSchedule : ILearningRateSchedule
{
    private readonly OneCycleOptions _options;

    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range (see <see cref="OneCycleOptions.Validate"/>).</exception>
    public OneCycleSchedule(OneCycleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>The settings.</summary>
    public OneCycleOptions Options => _options;

    /// <summary>
    /// The cycle's length in optimizer steps for <paramref name="stepsPerEpoch"/> batches per epoch. As in PyTorch,
    /// steps 0 to this value inclusive may be evaluated; the last one extrapolates the final phase by one step.
    /// </summary>
    public long TotalSteps(int stepsPerEpoch) => _options.TotalSteps ?? (long)_options.Epochs!.Value * stepsPerEpoch;

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The position's global step exceeds <see cref="TotalSteps"/>.</exception>
    public double LearningRateAt(double baseLearningRate, SchedulePosition position)
    {
        double max = _options.MaxLearningRate ?? baseLearningRate;
        double initial = max / _options.DivFactor;
        double min = initial / _options.FinalDivFactor;
        var (phase, pct) = Locate(position);
        return phase switch
        {
            0 => Anneal(initial, max, pct),
            1 when _options.ThreePhase => Anneal(max, initial, pct),
            1 => Anneal(max, min, pct),
            _ => Anneal(initial, min, pct),
        };
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The position's global step exceeds <see cref="TotalSteps"/>.</exception>
    public double? MomentumAt(SchedulePosition position)
    {
        if (!_options.CycleMomentum) return null;
        double low = _options.BaseMomentum, high = _options.MaxMomentum;
        var (phase, pct) = Locate(position);
        return phase switch
        {
            0 => Anneal(high, low, pct),
            1 => Anneal(low, high, pct),
            _ => Anneal(high, high, pct),
        };
    }

    /// <summary>The phase holding the position's step and the fraction of that phase done, as PyTorch's <c>get_lr</c> finds them.</summary>
    private (int Phase, double Pct) Locate(SchedulePosition position)
    {
        long total = TotalSteps(position.StepsPerEpoch);
        long step = position.GlobalStep;
        if (step > total)
            throw new ArgumentOutOfRangeException(nameof(position), step, $"Step {step} is past the one-cycle schedule's {total} steps.");
        double pctStart = _options.PctStart;
        ReadOnlySpan<double> ends = _options.ThreePhase
            ? [pctStart * total - 1, 2 * pctStart * total - 2, total - 1]
            : [pctStart * total - 1, total - 1];
        double start = 0;
        for (int i = 0; ; i++)
        {
            double end = ends[i];
            if (step <= end || i == ends.Length - 1)
            {
                if (end == start)
                    throw new ArgumentOutOfRangeException(nameof(position), step,
                        $"One-cycle phase {i} of a {total}-step cycle has no length (PctStart {pctStart}); PyTorch divides by zero here too.");
                return (i, (step - start) / (end - start));
            }
            start = end;
        }
    }

    private double Anneal(double start, double end, double pct) => _options.Anneal == AnnealStrategy.Cosine
        ? end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1)
        : (end - start) * pct + start;
}

using TransferKit.Training.Callbacks;

namespace TransferKit.Training.EarlyStopping;

/// <summary>
/// Follows one metric over epochs and decides improve / wait / stop as Keras' <c>EarlyStopping</c> does
/// (Keras 3, without <c>baseline</c> and <c>start_from_epoch</c>): an epoch improves when
/// <c>value + MinDelta &lt; best</c> (minimized metrics) or <c>value - MinDelta &gt; best</c> (maximized), which resets
/// the count of epochs without improvement; otherwise the count grows, and training stops when it reaches
/// <see cref="EarlyStoppingOptions.Patience"/>. The first epoch observed never stops training. A NaN value never
/// improves. Epoch numbers must increase.
/// </summary>
public sealed class EarlyStoppingTracker
{
    private readonly double _sign;
    private int? _lastEpoch;

    /// <summary>Creates a tracker.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="EarlyStoppingOptions.Validate"/>).</exception>
    public EarlyStoppingTracker(EarlyStoppingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _sign = options.Mode == MetricMode.Minimize ? 1 : -1;
        BestValue = _sign * double.PositiveInfinity;
    }

    /// <summary>The settings.</summary>
    public EarlyStoppingOptions Options { get; }

    /// <summary>The best value so far (+infinity for minimized metrics, -infinity for maximized ones before any improvement).</summary>
    public double BestValue { get; private set; }

    /// <summary>The epoch of <see cref="BestValue"/>, or null before any improvement.</summary>
    public int? BestEpoch { get; private set; }

    /// <summary>Epochs observed since the last improvement (Keras' <c>wait</c>).</summary>
    public int EpochsWithoutImprovement { get; private set; }

    /// <summary>The epoch at which <see cref="EarlyStoppingDecision.Stop"/> was returned, or null.</summary>
    public int? StoppedEpoch { get; private set; }

    /// <summary>Whether <see cref="EarlyStoppingDecision.Stop"/> has been returned.</summary>
    public bool ShouldStop => StoppedEpoch is not null;

    /// <summary>Records <paramref name="value"/> of the watched metric for <paramref name="epoch"/> and decides.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is not greater than the last observed epoch.</exception>
    /// <exception cref="InvalidOperationException">The tracker already said stop.</exception>
    public EarlyStoppingDecision Observe(int epoch, double value)
    {
        if (ShouldStop)
            throw new InvalidOperationException($"Early stopping already stopped training at epoch {StoppedEpoch}.");
        if (epoch <= _lastEpoch)
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, $"Epochs must increase; the last one observed was {_lastEpoch}.");
        bool first = _lastEpoch is null;
        _lastEpoch = epoch;

        // Negating maximized values makes both modes "lower is better" (negation is exact, so this is Keras' test
        // bit for bit); NaN fails the comparison.
        if (_sign * value + Options.MinDelta < _sign * BestValue)
        {
            BestValue = value;
            BestEpoch = epoch;
            EpochsWithoutImprovement = 0;
            return EarlyStoppingDecision.Improved;
        }
        EpochsWithoutImprovement++;
        if (EpochsWithoutImprovement >= Options.Patience && !first)
        {
            StoppedEpoch = epoch;
            return EarlyStoppingDecision.Stop;
        }
        return EarlyStoppingDecision.Wait;
    }

    /// <summary>Records the watched metric of <paramref name="result"/> (its <see cref="EpochResult.Epoch"/> and value) and decides.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
    /// <exception cref="ArgumentException">The metric is a validation metric and the epoch has no validation results.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The epoch is not greater than the last observed epoch.</exception>
    /// <exception cref="InvalidOperationException">The tracker already said stop.</exception>
    public EarlyStoppingDecision Observe(EpochResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        double value = Options.Metric.ValueIn(result)
            ?? throw new ArgumentException($"Early stopping watches {Options.Metric}, but epoch {result.Epoch} has no validation results.", nameof(result));
        return Observe(result.Epoch, value);
    }
}

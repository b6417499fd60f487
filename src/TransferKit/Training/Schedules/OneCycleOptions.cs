namespace TransferKit.Training.Schedules;

/// <summary>
/// Settings of <see cref="OneCycleSchedule"/>, with PyTorch 1.13's <c>OneCycleLR</c> defaults. The cycle's length is
/// <see cref="TotalSteps"/> when set, otherwise <see cref="Epochs"/> times the position's steps per epoch.
/// </summary>
public sealed class OneCycleOptions
{
    /// <summary>Optimizer steps in the cycle (PyTorch's <c>total_steps</c>); takes precedence over <see cref="Epochs"/>. Default null.</summary>
    public int? TotalSteps { get; init; }

    /// <summary>Epochs in the cycle, used with the position's steps per epoch when <see cref="TotalSteps"/> is null. Default null.</summary>
    public int? Epochs { get; init; }

    /// <summary>The peak rate (PyTorch's <c>max_lr</c>); null (default) takes the base rate passed to the schedule.</summary>
    public double? MaxLearningRate { get; init; }

    /// <summary>Fraction of the cycle spent raising the rate (default 0.3), in [0, 1].</summary>
    public double PctStart { get; init; } = 0.3;

    /// <summary>Shape of each phase (default <see cref="AnnealStrategy.Cosine"/>).</summary>
    public AnnealStrategy Anneal { get; init; } = AnnealStrategy.Cosine;

    /// <summary>Whether momentum cycles inversely to the rate between <see cref="BaseMomentum"/> and <see cref="MaxMomentum"/> (default true).</summary>
    public bool CycleMomentum { get; init; } = true;

    /// <summary>Momentum at the rate's peak (default 0.85).</summary>
    public double BaseMomentum { get; init; } = 0.85;

    /// <summary>Momentum at the start and end of the cycle (default 0.95).</summary>
    public double MaxMomentum { get; init; } = 0.95;

    /// <summary>The initial rate is <c>max / DivFactor</c> (default 25).</summary>
    public double DivFactor { get; init; } = 25;

    /// <summary>The final rate is <c>initial / FinalDivFactor</c> (default 1e4).</summary>
    public double FinalDivFactor { get; init; } = 1e4;

    /// <summary>
    /// Whether to use the paper's three phases (up, back down to the initial rate, then annihilate to the final rate)
    /// instead of fastai's two (default false).
    /// </summary>
    public bool ThreePhase { get; init; }

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the parameter name is the property's.</exception>
    /// <exception cref="ArgumentException">Neither <see cref="TotalSteps"/> nor <see cref="Epochs"/> is set.</exception>
    public void Validate()
    {
        if (TotalSteps is null && Epochs is null)
            throw new ArgumentException("OneCycleOptions needs TotalSteps or Epochs.", nameof(TotalSteps));
        if (TotalSteps is < 1)
            throw new ArgumentOutOfRangeException(nameof(TotalSteps), TotalSteps, "OneCycleOptions.TotalSteps must be at least 1.");
        if (Epochs is < 1)
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "OneCycleOptions.Epochs must be at least 1.");
        if (MaxLearningRate is { } max && (!(max > 0) || double.IsInfinity(max)))
            throw new ArgumentOutOfRangeException(nameof(MaxLearningRate), max, "OneCycleOptions.MaxLearningRate must be positive and finite.");
        if (!(PctStart is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(PctStart), PctStart, "OneCycleOptions.PctStart must be in [0, 1].");
        if (!Enum.IsDefined(Anneal))
            throw new ArgumentOutOfRangeException(nameof(Anneal), Anneal, "OneCycleOptions.Anneal is not a defined strategy.");
        if (!double.IsFinite(BaseMomentum))
            throw new ArgumentOutOfRangeException(nameof(BaseMomentum), BaseMomentum, "OneCycleOptions.BaseMomentum must be finite.");
        if (!double.IsFinite(MaxMomentum))
            throw new ArgumentOutOfRangeException(nameof(MaxMomentum), MaxMomentum, "OneCycleOptions.MaxMomentum must be finite.");
        if (!(DivFactor > 0) || double.IsInfinity(DivFactor))
            throw new ArgumentOutOfRangeException(nameof(DivFactor), DivFactor, "OneCycleOptions.DivFactor must be positive and finite.");
        if (!(FinalDivFactor > 0) || double.IsInfinity(FinalDivFactor))
            throw new ArgumentOutOfRangeException(nameof(FinalDivFactor), FinalDivFactor, "OneCycleOptions.FinalDivFactor must be positive and finite.");
    }
}

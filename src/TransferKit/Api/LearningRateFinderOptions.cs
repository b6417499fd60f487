namespace TransferKit.Api;

/// <summary>
/// The learning-rate range test (Smith 2015, "Cyclical Learning Rates for Training Neural Networks", section 3.3; fastai's
/// <c>lr_find</c>): the rate grows exponentially from <see cref="StartLearningRate"/> to <see cref="EndLearningRate"/>
/// over <see cref="Steps"/> batches while the smoothed loss is recorded.
/// </summary>
public sealed record LearningRateFinderOptions
{
    /// <summary>First rate. Default 1e-7.</summary>
    public double StartLearningRate { get; init; } = 1e-7;

    /// <summary>Last rate. Default 10.</summary>
    public double EndLearningRate { get; init; } = 10;

    /// <summary>Batches in the sweep (the training set is cycled as needed). Default 100.</summary>
    public int Steps { get; init; } = 100;

    /// <summary>Exponential smoothing of the loss (bias-corrected), in [0, 1). Default 0.98.</summary>
    public double Smoothing { get; init; } = 0.98;

    /// <summary>The sweep stops once the smoothed loss exceeds this multiple of the best so far. Default 4.</summary>
    public double DivergenceFactor { get; init; } = 4;

    /// <summary>How <see cref="LearningRateFinderResult.Suggestion"/> picks the rate. Default <see cref="LearningRateSuggestionRule.Valley"/>.</summary>
    public LearningRateSuggestionRule Rule { get; init; } = LearningRateSuggestionRule.Valley;

    /// <summary>
    /// The share of <see cref="Steps"/> at the start that the rules ignore, in [0, 1): the warm-up, where the rate is too
    /// small to change anything and the smoothed loss still settles. Default 0.1 (fastai's).
    /// </summary>
    public double SkipStartFraction { get; init; } = 0.1;

    /// <summary>Recorded batches at the end that the rules ignore: the climb into divergence. Default 5 (fastai's).</summary>
    public int SkipEndPoints { get; init; } = 5;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        static void Require(bool ok, string option, string rule, object value)
        {
            if (!ok) throw new ArgumentException($"LearningRateFinderOptions.{option} {rule}, got {value}.", option);
        }
        Require(StartLearningRate > 0 && double.IsFinite(StartLearningRate), nameof(StartLearningRate), "must be positive and finite", StartLearningRate);
        Require(EndLearningRate > StartLearningRate && double.IsFinite(EndLearningRate), nameof(EndLearningRate), "must be finite and above the start", EndLearningRate);
        Require(Steps >= 2, nameof(Steps), "must be at least 2", Steps);
        Require(Smoothing is >= 0 and < 1, nameof(Smoothing), "must be in [0, 1)", Smoothing);
        Require(Enum.IsDefined(Rule), nameof(Rule), "must be a defined rule", Rule);
        Require(SkipStartFraction is >= 0 and < 1, nameof(SkipStartFraction), "must be in [0, 1)", SkipStartFraction);
        Require(SkipEndPoints >= 0, nameof(SkipEndPoints), "must not be negative", SkipEndPoints);
        Require(DivergenceFactor > 1, nameof(DivergenceFactor), "must be above 1", DivergenceFactor);
    }
}

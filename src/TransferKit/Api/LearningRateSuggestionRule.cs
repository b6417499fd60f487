namespace TransferKit.Api;

/// <summary>How <see cref="LearningRateFinderResult.Suggestion"/> picks a rate from the smoothed loss curve (fastai's suggestion functions).</summary>
public enum LearningRateSuggestionRule
{
    /// <summary>
    /// About half way along the longest valley: the longest run of batches over which the smoothed loss keeps falling
    /// (a decreasing subsequence, so a small bump does not end it). It lies where the loss falls steadily, well before
    /// the minimum, and is robust to a noisy curve. fastai's default (<c>valley</c>); the default here too.
    /// </summary>
    Valley,

    /// <summary>Where the smoothed loss falls fastest against log(rate) (fastai's <c>steep</c>). Sensitive to noise.</summary>
    Steepest,

    /// <summary>The rate of the lowest smoothed loss divided by 10 (fastai's <c>minimum</c>): conservative.</summary>
    Minimum,
}

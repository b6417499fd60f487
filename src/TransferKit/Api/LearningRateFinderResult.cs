namespace TransferKit.Api;

/// <summary>One batch of the learning-rate sweep.</summary>
/// <param name="LearningRate">The base rate of the batch.</param>
/// <param name="Loss">The batch's loss.</param>
/// <param name="SmoothedLoss">The bias-corrected exponential moving average of the loss up to this batch.</param>
public readonly record struct LearningRatePoint(double LearningRate, double Loss, double SmoothedLoss);

/// <summary>The outcome of <see cref="ImageClassifierTrainer.FindLearningRateAsync"/>; the network's weights are as before the sweep.</summary>
/// <param name="Curve">Every batch of the sweep in order (the last may be the one that diverged).</param>
/// <param name="SteepestLearningRate">The rate where the smoothed loss falls fastest against log(rate) (fastai's <c>steep</c>): the suggestion.</param>
/// <param name="MinimumLearningRate">The rate of the lowest smoothed loss divided by 10 (fastai's <c>minimum</c>): a conservative alternative.</param>
/// <param name="Diverged">Whether the sweep stopped early because the loss exceeded the divergence factor times its best (or became non-finite).</param>
public sealed record LearningRateFinderResult(IReadOnlyList<LearningRatePoint> Curve, double SteepestLearningRate, double MinimumLearningRate, bool Diverged)
{
    /// <summary>The suggested rate: <see cref="SteepestLearningRate"/>.</summary>
    public double Suggestion => SteepestLearningRate;
}

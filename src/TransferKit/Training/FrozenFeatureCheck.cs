using TransferKit.Training.Callbacks;

namespace TransferKit.Training;

/// <summary>
/// Looks at one batch of the frozen units' output for the sign of a broken transfer: features that are all but zero.
/// Either every value is below <see cref="NearZero"/> in magnitude, or more than <see cref="DeadChannelFraction"/> of the
/// channels are exactly zero for every image and position (ReLU outputs of a mismatched input or zeroed weights).
/// </summary>
internal static class FrozenFeatureCheck
{
    /// <summary>The largest magnitude below which every feature counts as zero.</summary>
    public const float NearZero = 1e-6f;

    /// <summary>The fraction of all-zero channels above which the features count as dead.</summary>
    public const double DeadChannelFraction = 0.99;

    /// <summary>A warning when the [N, C, ...] <paramref name="features"/> look dead, else null.</summary>
    /// <param name="features">N samples of C channels, each of <c>features.Length / (N * C)</c> positions, sample-major.</param>
    /// <param name="samples">N.</param>
    /// <param name="channels">C.</param>
    public static TrainingWarning? Inspect(ReadOnlySpan<float> features, int samples, int channels)
    {
        if (samples < 1 || channels < 1 || features.IsEmpty || features.Length % (samples * channels) != 0) return null;
        int positions = features.Length / (samples * channels);
        float largest = 0;
        var live = new bool[channels];
        for (int n = 0; n < samples; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                var values = features.Slice(((n * channels) + c) * positions, positions);
                foreach (float v in values)
                {
                    float magnitude = MathF.Abs(v);
                    // NaN is not dead: the loss guard reports it.
                    if (!(magnitude <= largest)) largest = float.IsNaN(magnitude) ? float.PositiveInfinity : magnitude;
                    if (v != 0) live[c] = true;
                }
            }
        }
        int dead = live.Count(l => !l);
        if (largest < NearZero)
        {
            return new TrainingWarning(TrainingWarningKind.NearZeroFeatures, FormattableString.Invariant(
                $"the frozen units' output is near zero on the first batch (largest magnitude {largest:G3} over {samples} images): the head has nothing to learn from; check that the preprocessing matches the weights and that the weights loaded."));
        }
        if (dead > DeadChannelFraction * channels)
        {
            return new TrainingWarning(TrainingWarningKind.NearZeroFeatures, FormattableString.Invariant(
                $"{dead} of the frozen units' {channels} output channels are exactly zero for all {samples} images of the first batch: the head has almost nothing to learn from; check that the preprocessing matches the weights and that the weights loaded."));
        }
        return null;
    }
}

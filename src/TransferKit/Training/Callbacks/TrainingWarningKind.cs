namespace TransferKit.Training.Callbacks;

/// <summary>What a <see cref="TrainingWarning"/> is about.</summary>
public enum TrainingWarningKind
{
    /// <summary>
    /// The frozen units hold random weights: no pre-trained weights were loaded, yet part of the network is frozen, so
    /// those units never learn and only pass on noise.
    /// </summary>
    RandomFrozenWeights,

    /// <summary>
    /// The frozen units' output (the features the trainable part sees, cached or not) is all but zero on the first batch:
    /// the head has almost nothing to learn from. Usually the preprocessing does not match the weights, or the weights
    /// are zero or broken.
    /// </summary>
    NearZeroFeatures,

    /// <summary>
    /// <see cref="Api.TrainingOptions.FrozenPrecision"/> asked for bfloat16, which this machine cannot run (no
    /// AVX512-BF16, or not Linux x64), so the frozen units ran in float32: the same result, at float32's speed.
    /// </summary>
    BFloat16Unavailable,
}

namespace TransferKit.Tests;

/// <summary>Every numeric tolerance the tests use, in one place, with the reason for its size.</summary>
internal static class Tolerances
{
    /// <summary>Fast kernel vs. its naive twin: float32 sums in another order differ by a few ulps per term.</summary>
    public const float KernelRelative = 1e-4f;

    /// <summary>Absolute floor for values near zero when comparing kernels.</summary>
    public const float KernelAbsolute = 1e-5f;

    /// <summary>Against PyTorch fixtures: both are float32 with different summation orders.</summary>
    public const float GoldenRelative = 1e-4f;

    /// <summary>Absolute floor relative to the tensor's largest magnitude for PyTorch fixtures.</summary>
    public const float GoldenAbsolute = 1e-5f;

    /// <summary>
    /// Central differences on the float32 forward with step <see cref="GradientCheckStep"/>: truncation error is
    /// about step² ≈ 1e-4 relative, and float32 rounding of the loss (about 1e-6 for our sizes) divided by 2·step adds
    /// about 1e-4. A wrong gradient is off by order one, so 1% relative plus 1e-3 absolute still catches it.
    /// </summary>
    public const double GradientCheckRelative = 1e-2;

    /// <summary>Absolute floor of the gradient check, for gradients near zero (see <see cref="GradientCheckRelative"/>).</summary>
    public const double GradientCheckAbsolute = 1e-3;

    /// <summary>Naive kernels' gradients against central differences in double precision with step 1e-6: truncation error is about step squared.</summary>
    public const double DoubleFiniteDifferenceRelative = 1e-5;

    /// <summary>Finite-difference step. Inputs of non-smooth ops are kept at least 2.5 steps away from their kinks.</summary>
    public const float GradientCheckStep = 1e-2f;

    /// <summary>
    /// One or two optimizer steps of the baseline CNN against PyTorch: the updates amplify float32 differences in the
    /// gradients (Adam divides by sqrt(v)), so parameters agree to about 1e-4 relative to their magnitude.
    /// </summary>
    public const float OptimizerStepRelative = 2e-4f;

    /// <summary>
    /// Mean of an inverted-dropout mask over 10^6 elements around its expectation 1: one element's standard deviation is
    /// sqrt(p / (1 - p)) (0.65 at p = 0.3), so the mean's is 6.5e-4 and this bound is about 7 standard deviations.
    /// </summary>
    public const float DropoutMaskMean = 5e-3f;

    /// <summary>
    /// Batch-norm channel statistics (mean, 1/std) against a double-precision reference: they are accumulated in
    /// double, so the only loss is the final rounding to float (6e-8) plus the float inputs of the variance pass.
    /// </summary>
    public const double BatchNormStatisticsRelative = 1e-6;

    /// <summary>
    /// A float32 backward kernel against central differences of a double-precision forward (step 1e-6, so the
    /// difference itself is good to ~1e-9): what remains is float rounding of the saved statistics and of a
    /// cancelling sum of three terms of order 1, a few 1e-7 relative to the largest gradient; 1e-5 leaves margin.
    /// </summary>
    public const double FloatGradientVsFiniteDifference = 1e-5;

    /// <summary>
    /// Training-mode forward of a whole deep network (Inception v3, 94 batch norms, 8 values per channel in the last
    /// ones) against a float64 reference: PyTorch's own float32 result differs from it by 2.3e-4 relative to the logits'
    /// magnitude, so float32 rounding alone needs about that; 1e-3 leaves margin and still catches wiring errors (order one).
    /// </summary>
    public const float DeepTrainingModeRelative = 1e-3f;

    /// <summary>
    /// A network with batch norm folded into its convolutions against the same network unfolded: folding computes
    /// (s W) * x + b' instead of s (W * x) + t, a few float32 ulps per layer, which over Inception's depth of about 50
    /// layers stays near 1e-5 relative to the logits' magnitude.
    /// </summary>
    public const float FoldedBatchNormRelative = 1e-4f;
}

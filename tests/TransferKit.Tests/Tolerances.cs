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

    /// <summary>Finite differences in double precision with step 1e-6: truncation error is about step squared.</summary>
    public const double GradientCheckRelative = 1e-5;

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
}

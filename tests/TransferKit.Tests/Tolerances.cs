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

    /// <summary>
    /// An imported ONNX graph against ONNX Runtime on the same file and input, relative to the output's largest magnitude:
    /// both are float32 with other summation orders (GEMM blocking, im2col vs. ORT's MLAS), so a few ulps per layer.
    /// </summary>
    public const float OnnxRuntimeRelative = 1e-4f;

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
    /// Activations stored as IEEE half and read back: 11 significant bits give a relative rounding error of at most 2^-11 ≈ 4.9e-4
    /// per element (normal range); 1e-3 relative to the tensor's magnitude leaves margin.
    /// </summary>
    public const float Float16CacheRelative = 1e-3f;

    /// <summary>
    /// A bfloat16 activation cache: 8 significant bits, so round-to-nearest is off by at most 2^-9 of each element;
    /// 4e-3 relative to the tensor's magnitude leaves margin.
    /// </summary>
    public const float BFloat16CacheRelative = 4e-3f;

    /// Learning-rate schedules against PyTorch's lr_scheduler, both in double precision: PyTorch steps most schedules
    /// recursively (lr *= ratio each step) while ours are closed forms, so they drift apart by a few ulps per step
    /// (measured below 1e-14 over the fixtures' 50 steps). A wrong formula or an off-by-one step is off by 1e-3 or more.
    /// </summary>
    public const double ScheduleRelative = 1e-7;

    /// Classification metrics against scikit-learn (float64) on the same float32 inputs: counts, accuracy, precision,
    /// recall and ROC rates are single divisions of equal integers and compare exactly; F1 (2TP / (2TP + FP + FN) here,
    /// 2PR / (P + R) there), averages, log-loss (N terms summed in another order) and AUC (an exact rational here,
    /// np.trapz over rates there) differ only by rounding, a few 1e-16 per term; 1e-9 relative leaves wide margin and
    /// still catches any wrong convention (clipping, ties, zero division), which moves results by 1e-3 or more.
    /// </summary>
    public const double Metrics = 1e-9;

    /// Largest difference, in 8-bit levels, between our resize and Pillow 9.4's <c>Image.resize</c> (bilinear, bicubic):
    /// zero, because both compute the filter weights in double in the same order, round them to the same 22-bit fixed
    /// point and clip the same integer sums after each pass. Any difference is a bug, not rounding.
    /// </summary>
    public const int PillowResizeLevels = 0;

    /// <summary>
    /// The evaluation transform against torchvision's ToTensor + Normalize in float32: our tables use the same three
    /// float32 operations (divide by 255, subtract the mean, divide by the std), but torch may divide by 255 as a
    /// multiplication by its reciprocal, one ulp apart; values reach about 2.7 (ulp 2.4e-7), so 1e-6 absolute.
    /// </summary>
    public const float PreprocessingAbsolute = 1e-6f;

    /// <summary>
    /// Colour jitter against torchvision's tensor adjust_*: the same float32 blend, except that the grayscale mean of the
    /// contrast adjustment is summed in double here and pairwise in float32 by torch (a few ulps of values below 1).
    /// </summary>
    public const float ColorJitterAbsolute = 1e-6f;

    /// <summary>
    /// Weights after a few epochs trained from cached prefix activations against recomputing the prefix each step: the
    /// prefix runs on other batch groupings, so its GEMMs sum in another order (a few ulps), and training amplifies that a little.
    /// </summary>
    public const float CachedTrainingRelative = 1e-4f;

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

    /// <summary>
    /// Winograd F(2x2, 3x3) against the double-accumulating naive convolution, per element, relative to the sum of the
    /// absolute values of that element's terms (sum |w| |x| + |bias|). Besides the GEMM's sum over channels, each value passes
    /// through the weight transform (two roundings and exact halvings), the input transform (two) and the output transform
    /// (up to four additions of values as large as the terms), and the transformed operands can exceed the plain ones by a
    /// factor of a few; so the error is several float32 ulps (6e-8) of the absolute sum where im2col's is one or two.
    /// Measured at most 2.1e-7 over the test shapes (up to 33 channels); 1e-6 leaves margin, and a wrong coefficient or
    /// tile is off by order one.
    /// </summary>
    public const double WinogradAbsoluteSumRelative = 1e-6;

    /// <summary>
    /// Winograd F(4x4, 3x3) on the same terms as <see cref="WinogradAbsoluteSumRelative"/>: its transforms multiply by
    /// up to 5/2 (input) and 8 (output) and sum six values at each step, so the transformed operands exceed the plain
    /// ones by an order of magnitude more than F(2x2, 3x3)'s, and the error with them (3e-6 to 7e-6 of the largest output
    /// against float64 on ResNet's shapes). Measured at most 2.1e-6 over the test shapes (6e-6 leaves margin; the points
    /// 0, ±1, ±2 had given 3.3e-6); a wrong coefficient gives errors of the order of the terms themselves.
    /// </summary>
    public const double Winograd4x4AbsoluteSumRelative = 6e-6;
}

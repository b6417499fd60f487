namespace TransferKit.Kernels.Pooling;

/// <summary>
/// Sizes of a 2-D max or average pooling over x of layout [Batch, Channels, InHeight, InWidth], with PyTorch's
/// output-size rule: out = floor_or_ceil((in + 2 * pad - kernel) / stride) + 1, where in ceil mode a last window
/// that would start beyond the input and its left padding is dropped.
/// </summary>
/// <param name="Batch">N.</param>
/// <param name="Channels">C.</param>
/// <param name="InHeight">Input height.</param>
/// <param name="InWidth">Input width.</param>
/// <param name="KernelHeight">Window height.</param>
/// <param name="KernelWidth">Window width.</param>
/// <param name="StrideHeight">Vertical step.</param>
/// <param name="StrideWidth">Horizontal step.</param>
/// <param name="PadHeight">Implicit padding at the top and bottom; at most KernelHeight / 2.</param>
/// <param name="PadWidth">Implicit padding at the left and right; at most KernelWidth / 2.</param>
/// <param name="CeilMode">Round the output size up instead of down.</param>
/// <param name="CountIncludePad">Average pooling only: divide by the window size clipped to the padded input
/// (true), or by the number of real input cells in the window (false). PyTorch's default is true.</param>
public readonly record struct Pool2dGeometry(int Batch, int Channels, int InHeight, int InWidth,
    int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth, int PadHeight = 0, int PadWidth = 0,
    bool CeilMode = false, bool CountIncludePad = true)
{
    /// <summary>Output height (PyTorch's rule, including the ceil-mode correction).</summary>
    public int OutHeight => OutputSize(InHeight, KernelHeight, StrideHeight, PadHeight, CeilMode);

    /// <summary>Output width (PyTorch's rule, including the ceil-mode correction).</summary>
    public int OutWidth => OutputSize(InWidth, KernelWidth, StrideWidth, PadWidth, CeilMode);

    /// <summary>Throws when the geometry is not one PyTorch accepts.</summary>
    /// <exception cref="ArgumentException">A field is out of range (the exception's ParamName names it): negative
    /// batch or channels, input, kernel or stride below 1, padding negative or above half the kernel, or an
    /// output size below 1.</exception>
    public void Validate()
    {
        NonNegative(Batch, nameof(Batch));
        NonNegative(Channels, nameof(Channels));
        Positive(InHeight, nameof(InHeight));
        Positive(InWidth, nameof(InWidth));
        Positive(KernelHeight, nameof(KernelHeight));
        Positive(KernelWidth, nameof(KernelWidth));
        Positive(StrideHeight, nameof(StrideHeight));
        Positive(StrideWidth, nameof(StrideWidth));
        NonNegative(PadHeight, nameof(PadHeight));
        NonNegative(PadWidth, nameof(PadWidth));
        if (PadHeight > KernelHeight / 2)
            throw new ArgumentException($"PadHeight {PadHeight} must be at most half of KernelHeight {KernelHeight}.", nameof(PadHeight));
        if (PadWidth > KernelWidth / 2)
            throw new ArgumentException($"PadWidth {PadWidth} must be at most half of KernelWidth {KernelWidth}.", nameof(PadWidth));
        if (OutHeight < 1)
            throw new ArgumentException($"KernelHeight {KernelHeight} exceeds InHeight {InHeight} plus padding: output height {OutHeight}.", nameof(KernelHeight));
        if (OutWidth < 1)
            throw new ArgumentException($"KernelWidth {KernelWidth} exceeds InWidth {InWidth} plus padding: output width {OutWidth}.", nameof(KernelWidth));
        if ((long)Batch * Channels * InHeight * InWidth > int.MaxValue || (long)Batch * Channels * OutHeight * OutWidth > int.MaxValue)
            throw new ArgumentException($"Pooling tensors of {Batch} x {Channels} x {InHeight} x {InWidth} exceed {int.MaxValue} elements.", nameof(Batch));
    }

    /// <summary>Number of [H, W] planes (Batch * Channels).</summary>
    internal int Planes => Batch * Channels;

    /// <summary>Elements in one input plane.</summary>
    internal int InPlane => InHeight * InWidth;

    /// <summary>Elements in one output plane.</summary>
    internal int OutPlane => OutHeight * OutWidth;

    private static int OutputSize(int input, int kernel, int stride, int pad, bool ceil)
    {
        if (stride <= 0) return 0;
        long numerator = (long)input + 2L * pad - kernel + (ceil ? stride - 1 : 0);
        long output = FloorDiv(numerator, stride) + 1;
        // In ceil mode the last window must start inside the input or its left padding.
        if (ceil && (output - 1) * stride >= (long)input + pad) output--;
        return (int)Math.Clamp(output, int.MinValue, int.MaxValue);
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static void NonNegative(int value, string name)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be non-negative.");
    }

    private static void Positive(int value, string name)
    {
        if (value < 1) throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");
    }
}

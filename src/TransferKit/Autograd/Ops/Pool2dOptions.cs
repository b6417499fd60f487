namespace TransferKit.Autograd;

/// <summary>Window, stride and padding of a 2-D max or average pool, as in PyTorch.</summary>
/// <param name="KernelHeight">Window height.</param>
/// <param name="KernelWidth">Window width.</param>
/// <param name="StrideHeight">Vertical stride (PyTorch's default is the window size).</param>
/// <param name="StrideWidth">Horizontal stride.</param>
/// <param name="PadHeight">Implicit padding above and below (at most half the window).</param>
/// <param name="PadWidth">Implicit padding left and right.</param>
/// <param name="CeilMode">Round the output size up, as PyTorch's <c>ceil_mode</c>.</param>
/// <param name="CountIncludePad">Average pooling divides by the padded window size (PyTorch's default true).</param>
public readonly record struct Pool2dOptions(
    int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth,
    int PadHeight = 0, int PadWidth = 0, bool CeilMode = false, bool CountIncludePad = true)
{
    /// <summary>A square window; the stride defaults to the window size as in PyTorch.</summary>
    public static Pool2dOptions Square(int kernel, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true) =>
        new(kernel, kernel, stride ?? kernel, stride ?? kernel, padding, padding, ceilMode, countIncludePad);
}

namespace TransferKit.Autograd;

/// <summary>Stride, padding, dilation and groups of a 2-D convolution, as in PyTorch's <c>Conv2d</c>.</summary>
/// <param name="StrideHeight">Vertical stride (default 1).</param>
/// <param name="StrideWidth">Horizontal stride (default 1).</param>
/// <param name="PadHeight">Zero padding added above and below (default 0).</param>
/// <param name="PadWidth">Zero padding added left and right (default 0).</param>
/// <param name="DilationHeight">Vertical dilation (default 1).</param>
/// <param name="DilationWidth">Horizontal dilation (default 1).</param>
/// <param name="Groups">Channel groups; equal to the channel count for depthwise convolution (default 1).</param>
public readonly record struct Conv2dOptions(
    int StrideHeight = 1, int StrideWidth = 1, int PadHeight = 0, int PadWidth = 0,
    int DilationHeight = 1, int DilationWidth = 1, int Groups = 1)
{
    /// <summary>
    /// Stride 1, no padding, no dilation, one group. (<c>default(Conv2dOptions)</c> is all zeros, as for any struct, and is
    /// read as this.)
    /// </summary>
    public static Conv2dOptions Default { get; } = new(1, 1, 0, 0, 1, 1, 1);

    /// <summary>Square stride, padding and dilation.</summary>
    public static Conv2dOptions Square(int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        new(stride, stride, padding, padding, dilation, dilation, groups);
}

using TransferKit.Autograd;
using TransferKit.Tensors;

namespace TransferKit.Nn;

/// <summary>2-D max pooling layer.</summary>
public sealed class MaxPool2d(Pool2dOptions options) : Module
{
    /// <summary>A square window, stride defaulting to the window as in PyTorch.</summary>
    public MaxPool2d(int kernel, int? stride = null, int padding = 0, bool ceilMode = false)
        : this(Pool2dOptions.Square(kernel, stride, padding, ceilMode)) { }

    /// <summary>Window, stride, padding, ceil mode.</summary>
    public Pool2dOptions Options { get; } = options;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Ops.MaxPool2d(input, Options);
}

/// <summary>2-D average pooling layer.</summary>
public sealed class AvgPool2d(Pool2dOptions options) : Module
{
    /// <summary>A square window, stride defaulting to the window as in PyTorch.</summary>
    public AvgPool2d(int kernel, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true)
        : this(Pool2dOptions.Square(kernel, stride, padding, ceilMode, countIncludePad)) { }

    /// <summary>Window, stride, padding, ceil mode, count_include_pad.</summary>
    public Pool2dOptions Options { get; } = options;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Ops.AvgPool2d(input, Options);
}

/// <summary>Adaptive average pooling to a fixed size; 1x1 is global average pooling.</summary>
public sealed class AdaptiveAvgPool2d(int outHeight = 1, int outWidth = 1) : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Ops.AdaptiveAvgPool2d(input, outHeight, outWidth);
}

/// <summary>Adaptive max pooling to a fixed size; 1x1 is global max pooling.</summary>
public sealed class AdaptiveMaxPool2d(int outHeight = 1, int outWidth = 1) : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Ops.AdaptiveMaxPool2d(input, outHeight, outWidth);
}

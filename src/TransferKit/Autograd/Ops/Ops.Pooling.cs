using TransferKit.Kernels.Pooling;
using TransferKit.Tensors;

namespace TransferKit.Autograd;

public static partial class Ops
{
    /// <summary>2-D max pooling. Padded cells never win.</summary>
    /// <param name="input">[N, C, H, W].</param>
    /// <param name="options">Window, stride, padding, ceil mode.</param>
    /// <returns>[N, C, OH, OW].</returns>
    public static unsafe Tensor MaxPool2d(Tensor input, Pool2dOptions options)
    {
        var g = PoolGeometryOf(input, options, "MaxPool2d");
        var y = Tensor.Empty(g.Batch, g.Channels, g.OutHeight, g.OutWidth);
        if (!Tape.WillRecord(input))
        {
            // Nothing will run backward: no winners' indices to find, write and hold.
            MaxPool2dKernel.ForwardValues(g, input.Data, y.Data);
            OpTrace.Current?.Record(TracedOpKind.MaxPool2d, y, options, input);
            return y;
        }

        // The winners' indices live in a float-sized tensor read as ints, so they come from the same pool and scope.
        var argmax = Tensor.Empty(y.Shape);
        MaxPool2dKernel.Forward(g, input.Data, y.Data, (int*)argmax.Data);
        Tape.Record(y, () => new MaxPool2dNode(input, argmax, g), input);
        OpTrace.Current?.Record(TracedOpKind.MaxPool2d, y, options, input);
        return y;
    }

    /// <summary>2-D average pooling, with PyTorch's divisor rules for padding and ceil mode.</summary>
    /// <param name="input">[N, C, H, W].</param>
    /// <param name="options">Window, stride, padding, ceil mode, count_include_pad.</param>
    /// <returns>[N, C, OH, OW].</returns>
    public static unsafe Tensor AvgPool2d(Tensor input, Pool2dOptions options)
    {
        var g = PoolGeometryOf(input, options, "AvgPool2d");
        var y = Tensor.Empty(g.Batch, g.Channels, g.OutHeight, g.OutWidth);
        AvgPool2dKernel.Forward(g, input.Data, y.Data);
        Tape.Record(y, () => new AvgPool2dNode(input, g), input);
        OpTrace.Current?.Record(TracedOpKind.AvgPool2d, y, options, input);
        return y;
    }

    /// <summary>
    /// activation(avgpool(input) + bias[c]) for inference: the pool, then the bias and the activation in one pass over its
    /// output. Nothing may record gradients or trace ops around it.
    /// </summary>
    /// <param name="input">[N, C, H, W].</param>
    /// <param name="options">Window, stride, padding, ceil mode, count_include_pad.</param>
    /// <param name="bias">[C].</param>
    /// <param name="activation">Applied last.</param>
    /// <returns>[N, C, OH, OW].</returns>
    /// <exception cref="InvalidOperationException">A tape records, or ops are being traced.</exception>
    /// <exception cref="ShapeMismatchException">The bias is not [C].</exception>
    internal static unsafe Tensor AvgPool2dBiasActivation(Tensor input, Pool2dOptions options, Tensor bias, Kernels.Activations.ActivationKind activation)
    {
        ArgumentNullException.ThrowIfNull(bias);
        if ((Tape.Current is not null && GradMode.IsEnabled) || OpTrace.Current is not null)
            throw new InvalidOperationException("AvgPool2dBiasActivation is an inference op: nothing may record gradients or trace ops around it.");
        var g = PoolGeometryOf(input, options, "AvgPool2d");
        bias.EnsureShape(new Shape(g.Channels), "AvgPool2d bias");
        var y = Tensor.Empty(g.Batch, g.Channels, g.OutHeight, g.OutWidth);
        AvgPool2dKernel.Forward(g, input.Data, y.Data);
        Kernels.Activations.FusedEpilogue.ApplyPlanes(activation, y.Data, g.Batch, g.Channels, g.OutHeight * g.OutWidth, bias.Data, null);
        return y;
    }

    /// <summary>Adaptive average pooling to a fixed output size (1x1 is global average pooling).</summary>
    /// <param name="input">[N, C, H, W].</param>
    /// <param name="outHeight">Output height.</param>
    /// <param name="outWidth">Output width.</param>
    /// <returns>[N, C, outHeight, outWidth].</returns>
    public static unsafe Tensor AdaptiveAvgPool2d(Tensor input, int outHeight = 1, int outWidth = 1)
    {
        var y = AdaptivePoolOutput(input, outHeight, outWidth, "AdaptiveAvgPool2d");
        var s = input.Shape;
        AdaptiveAvgPool2dKernel.Forward(s[0], s[1], s[2], s[3], outHeight, outWidth, input.Data, y.Data);
        Tape.Record(y, () => new AdaptivePoolNode(input, null), input);
        OpTrace.Current?.Record(TracedOpKind.AdaptiveAvgPool2d, y, null, input);
        return y;
    }

    /// <summary>Adaptive max pooling to a fixed output size (1x1 is global max pooling).</summary>
    /// <param name="input">[N, C, H, W].</param>
    /// <param name="outHeight">Output height.</param>
    /// <param name="outWidth">Output width.</param>
    /// <returns>[N, C, outHeight, outWidth].</returns>
    public static unsafe Tensor AdaptiveMaxPool2d(Tensor input, int outHeight = 1, int outWidth = 1)
    {
        var y = AdaptivePoolOutput(input, outHeight, outWidth, "AdaptiveMaxPool2d");
        var s = input.Shape;
        var argmax = Tensor.Empty(y.Shape);
        AdaptiveMaxPool2dKernel.Forward(s[0], s[1], s[2], s[3], outHeight, outWidth, input.Data, y.Data, (int*)argmax.Data);
        Tape.Record(y, () => new AdaptivePoolNode(input, argmax), input);
        OpTrace.Current?.Record(TracedOpKind.AdaptiveMaxPool2d, y, null, input);
        return y;
    }

    private static Tensor AdaptivePoolOutput(Tensor input, int outHeight, int outWidth, string op)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireRank(input, 4, op, "input");
        ArgumentOutOfRangeException.ThrowIfLessThan(outHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outWidth, 1);
        return Tensor.Empty(input.Shape[0], input.Shape[1], outHeight, outWidth);
    }

    private static Pool2dGeometry PoolGeometryOf(Tensor input, Pool2dOptions o, string op)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireRank(input, 4, op, "input");
        var s = input.Shape;
        var g = new Pool2dGeometry(s[0], s[1], s[2], s[3], o.KernelHeight, o.KernelWidth, o.StrideHeight, o.StrideWidth,
            o.PadHeight, o.PadWidth, o.CeilMode, o.CountIncludePad);
        g.Validate();
        return g;
    }

    private sealed unsafe class MaxPool2dNode(Tensor input, Tensor argmax, Pool2dGeometry g) : TapeNode(input)
    {
        public override string Name => "MaxPool2d";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            if (grads.ForOverwrite(0, out bool overwrite) is { } gx) MaxPool2dKernel.Backward(g, gradOutput.Data, (int*)argmax.Data, gx.Data, overwrite);
        }
    }

    private sealed unsafe class AvgPool2dNode(Tensor input, Pool2dGeometry g) : TapeNode(input)
    {
        public override string Name => "AvgPool2d";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            if (grads.For(0) is { } gx) AvgPool2dKernel.Backward(g, gradOutput.Data, gx.Data);
        }
    }

    private sealed unsafe class AdaptivePoolNode(Tensor input, Tensor? argmax) : TapeNode(input)
    {
        public override string Name => argmax is null ? "AdaptiveAvgPool2d" : "AdaptiveMaxPool2d";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            if (grads.For(0) is not { } gx) return;
            var s = input.Shape;
            int oh = gradOutput.Shape[2], ow = gradOutput.Shape[3];
            if (argmax is null)
                AdaptiveAvgPool2dKernel.Backward(s[0], s[1], s[2], s[3], oh, ow, gradOutput.Data, gx.Data);
            else
                AdaptiveMaxPool2dKernel.Backward(s[0], s[1], s[2], s[3], oh, ow, gradOutput.Data, (int*)argmax.Data, gx.Data);
        }
    }
}

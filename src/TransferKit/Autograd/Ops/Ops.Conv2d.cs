using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;
using TransferKit.Tensors;

namespace TransferKit.Autograd;

public static partial class Ops
{
    /// <summary>2-D convolution (cross-correlation, as PyTorch).</summary>
    /// <param name="input">[N, Cin, H, W].</param>
    /// <param name="weight">[Cout, Cin/groups, KH, KW].</param>
    /// <param name="bias">[Cout] or null.</param>
    /// <param name="options">Stride, padding, dilation, groups.</param>
    /// <returns>[N, Cout, OH, OW].</returns>
    /// <exception cref="ShapeMismatchException">The shapes do not fit together.</exception>
    /// <exception cref="ArgumentException">The geometry is invalid (the message names the field).</exception>
    public static unsafe Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, Conv2dOptions options = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (options == default) options = Conv2dOptions.Default;
        var g = Conv2dGeometryOf(input, weight, options);
        bias?.EnsureShape(new Shape(g.OutChannels), "Conv2d bias");
        var y = Tensor.Empty(g.Batch, g.OutChannels, g.OutHeight, g.OutWidth);
        Conv2dKernel.ForwardFused(g, input.Data, weight.Data, PointerOrNull(bias), y.Data, ActivationKind.Identity, null,
            gradientsFollow: Tape.Current is not null && GradMode.IsEnabled);
        Tape.Record(y, () => new Conv2dNode(input, weight, bias, g), input, weight, bias);
        OpTrace.Current?.Record(TracedOpKind.Conv2d, y, options, input, weight, bias);
        return y;
    }

    /// <summary>
    /// activation(conv2d(input, weight, bias) + residual): one kernel pass that applies the bias, the residual add and
    /// the activation to each output tile as it is computed, when nothing records gradients on this thread (inference,
    /// frozen layers); while a tape records, the same operations one after another, so that training sees its usual graph.
    /// </summary>
    /// <param name="input">[N, Cin, H, W].</param>
    /// <param name="weight">[Cout, Cin/groups, KH, KW].</param>
    /// <param name="bias">[Cout] or null.</param>
    /// <param name="options">Stride, padding, dilation, groups.</param>
    /// <param name="activation">Applied last.</param>
    /// <param name="residual">[N, Cout, OH, OW] added before the activation, or null.</param>
    /// <returns>[N, Cout, OH, OW].</returns>
    /// <exception cref="ShapeMismatchException">The shapes do not fit together.</exception>
    internal static unsafe Tensor Conv2dActivation(Tensor input, Tensor weight, Tensor? bias, Conv2dOptions options,
        ActivationKind activation, Tensor? residual = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if ((Tape.Current is not null && GradMode.IsEnabled) || OpTrace.Current is not null)
        {
            var convolved = Conv2d(input, weight, bias, options);
            var summed = residual is null ? convolved : Add(convolved, residual);
            return activation == ActivationKind.Identity ? summed : Activation(summed, activation);
        }
        if (options == default) options = Conv2dOptions.Default;
        var g = Conv2dGeometryOf(input, weight, options);
        bias?.EnsureShape(new Shape(g.OutChannels), "Conv2d bias");
        residual?.EnsureShape(new Shape(g.Batch, g.OutChannels, g.OutHeight, g.OutWidth), "Conv2d residual");
        var y = Tensor.Empty(g.Batch, g.OutChannels, g.OutHeight, g.OutWidth);
        Conv2dKernel.ForwardFused(g, input.Data, weight.Data, PointerOrNull(bias), y.Data, activation, PointerOrNull(residual));
        return y;
    }

    /// <summary>
    /// maxpool(activation(conv2d(input, weight, bias))) in one pass, the convolution's output pooled tile by tile and
    /// never written whole (see <see cref="Conv2dKernel.ForwardFusedMaxPool"/>), when nothing records gradients on this
    /// thread and the convolution takes the direct kernel; otherwise null, and the caller runs the layers one by one.
    /// </summary>
    /// <param name="input">[N, Cin, H, W].</param>
    /// <param name="weight">[Cout, Cin, KH, KW].</param>
    /// <param name="bias">[Cout] or null.</param>
    /// <param name="options">Stride, padding, dilation, groups.</param>
    /// <param name="activation">Applied to the convolution before pooling.</param>
    /// <param name="pool">The max pool's window, stride and padding.</param>
    /// <returns>[N, Cout, pooled height, pooled width], or null.</returns>
    /// <exception cref="ShapeMismatchException">The shapes do not fit together.</exception>
    internal static unsafe Tensor? TryConv2dActivationMaxPool(Tensor input, Tensor weight, Tensor? bias, Conv2dOptions options,
        ActivationKind activation, Pool2dOptions pool)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if ((Tape.Current is not null && GradMode.IsEnabled) || OpTrace.Current is not null) return null;
        if (options == default) options = Conv2dOptions.Default;
        var g = Conv2dGeometryOf(input, weight, options);
        if (!Conv2dKernel.FusesMaxPool(g, PreparedConvWeights.For(weight.Data) is not null)) return null;
        bias?.EnsureShape(new Shape(g.OutChannels), "Conv2d bias");
        var pg = new Kernels.Pooling.Pool2dGeometry(g.Batch, g.OutChannels, g.OutHeight, g.OutWidth, pool.KernelHeight, pool.KernelWidth,
            pool.StrideHeight, pool.StrideWidth, pool.PadHeight, pool.PadWidth, pool.CeilMode, pool.CountIncludePad);
        pg.Validate();
        var y = Tensor.Empty(pg.Batch, pg.Channels, pg.OutHeight, pg.OutWidth);
        Conv2dKernel.ForwardFusedMaxPool(g, pg, input.Data, weight.Data, PointerOrNull(bias), y.Data, activation);
        return y;
    }

    /// <summary>
    /// activation(conv2d(<see cref="ChannelScale"/>(input, scale), weight) + bias + residual) for a 1x1 convolution,
    /// with the scaled input never written: the GEMM scales each channel of each image as it packs it
    /// (<see cref="Conv2dKernel.ForwardPointwiseChannelScaled"/>), to the same values. Null, with nothing run, where that
    /// does not apply: a tape records, ops are traced, the convolution is not an ungrouped unpadded stride-1 1x1, or the
    /// GEMM cannot.
    /// </summary>
    /// <param name="input">[N, Cin, H, W].</param>
    /// <param name="scale">[N, Cin, ...] with N * Cin elements: a squeeze-and-excitation gate.</param>
    /// <param name="weight">[Cout, Cin, 1, 1].</param>
    /// <param name="bias">[Cout] or null.</param>
    /// <param name="options">Stride 1, no padding, groups 1.</param>
    /// <param name="activation">Applied last.</param>
    /// <param name="residual">[N, Cout, H, W] added before the activation, or null.</param>
    /// <returns>[N, Cout, H, W], or null.</returns>
    /// <exception cref="ShapeMismatchException">The shapes do not fit together.</exception>
    internal static unsafe Tensor? TryConv2dOfChannelScale(Tensor input, Tensor scale, Tensor weight, Tensor? bias, Conv2dOptions options,
        ActivationKind activation, Tensor? residual)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(scale);
        ArgumentNullException.ThrowIfNull(weight);
        if ((Tape.Current is not null && GradMode.IsEnabled) || OpTrace.Current is not null) return null;
        if (options == default) options = Conv2dOptions.Default;
        var g = Conv2dGeometryOf(input, weight, options);
        if (!Conv2dKernel.AppliesPointwisePrologue(g)) return null;
        if (scale.Rank < 2 || scale.Length != (long)g.Batch * g.InChannels || scale.Shape[0] != g.Batch || scale.Shape[1] != g.InChannels)
            throw new ShapeMismatchException($"Conv2dOfChannelScale: scale {scale.Shape} does not match [N, C] of input {input.Shape}.");
        bias?.EnsureShape(new Shape(g.OutChannels), "Conv2d bias");
        var y = Tensor.Empty(g.Batch, g.OutChannels, g.OutHeight, g.OutWidth);
        residual?.EnsureShape(y.Shape, "Conv2d residual");
        Conv2dKernel.ForwardPointwiseChannelScaled(g, input.Data, scale.Data, weight.Data, PointerOrNull(bias), y.Data, activation, PointerOrNull(residual));
        return y;
    }

    /// <summary>
    /// activation2(conv2d(activation1(conv2d(input, pointwiseWeight) + pointwiseBias), depthwiseWeight) + depthwiseBias)
    /// for an inverted residual's expanding 1x1 convolution and its depthwise convolution, image by image
    /// (<see cref="Conv2dKernel.ForwardPointwiseDepthwise"/>), to the same values. Null, with nothing run, where that does
    /// not apply: a tape records, ops are traced, or <see cref="Conv2dKernel.FusesPointwiseDepthwise"/> does not hold.
    /// </summary>
    /// <param name="input">[N, Cin, H, W].</param>
    /// <param name="pointwiseWeight">[Hidden, Cin, 1, 1].</param>
    /// <param name="pointwiseBias">[Hidden] or null.</param>
    /// <param name="pointwiseOptions">The 1x1 convolution's options.</param>
    /// <param name="pointwiseActivation">Applied to its output.</param>
    /// <param name="depthwiseWeight">[Hidden, 1, KH, KW].</param>
    /// <param name="depthwiseBias">[Hidden] or null.</param>
    /// <param name="depthwiseOptions">The depthwise convolution's options (groups = Hidden).</param>
    /// <param name="depthwiseActivation">Applied last.</param>
    /// <returns>[N, Hidden, OH, OW], or null.</returns>
    /// <exception cref="ShapeMismatchException">The shapes do not fit together.</exception>
    internal static unsafe Tensor? TryConv2dPointwiseDepthwise(Tensor input, Tensor pointwiseWeight, Tensor? pointwiseBias, Conv2dOptions pointwiseOptions,
        ActivationKind pointwiseActivation, Tensor depthwiseWeight, Tensor? depthwiseBias, Conv2dOptions depthwiseOptions, ActivationKind depthwiseActivation)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(pointwiseWeight);
        ArgumentNullException.ThrowIfNull(depthwiseWeight);
        if ((Tape.Current is not null && GradMode.IsEnabled) || OpTrace.Current is not null) return null;
        if (pointwiseOptions == default) pointwiseOptions = Conv2dOptions.Default;
        var pointwise = Conv2dGeometryOf(input, pointwiseWeight, pointwiseOptions);
        var depthwise = new Conv2dGeometry(pointwise.Batch, pointwise.OutChannels, pointwise.OutHeight, pointwise.OutWidth, depthwiseWeight.Shape[0],
            depthwiseWeight.Shape[2], depthwiseWeight.Shape[3], depthwiseOptions.StrideHeight, depthwiseOptions.StrideWidth, depthwiseOptions.PadHeight,
            depthwiseOptions.PadWidth, depthwiseOptions.DilationHeight, depthwiseOptions.DilationWidth, depthwiseOptions.Groups);
        if (depthwiseWeight.Rank != 4 || depthwiseWeight.Shape[1] * depthwiseOptions.Groups != pointwise.OutChannels)
            throw new ShapeMismatchException($"Conv2dPointwiseDepthwise: depthwise weight {depthwiseWeight.Shape} does not take {pointwise.OutChannels} channels.");
        depthwise.Validate();
        if (!Conv2dKernel.FusesPointwiseDepthwise(pointwise, depthwise)) return null;
        pointwiseBias?.EnsureShape(new Shape(pointwise.OutChannels), "Conv2d bias");
        depthwiseBias?.EnsureShape(new Shape(depthwise.OutChannels), "Conv2d bias");
        var y = Tensor.Empty(depthwise.Batch, depthwise.OutChannels, depthwise.OutHeight, depthwise.OutWidth);
        Conv2dKernel.ForwardPointwiseDepthwise(pointwise, depthwise, input.Data, pointwiseWeight.Data, PointerOrNull(pointwiseBias), pointwiseActivation,
            depthwiseWeight.Data, PointerOrNull(depthwiseBias), depthwiseActivation, y.Data);
        return y;
    }

    private static Conv2dGeometry Conv2dGeometryOf(Tensor input, Tensor weight, Conv2dOptions o)
    {
        RequireRank(input, 4, "Conv2d", "input");
        RequireRank(weight, 4, "Conv2d", "weight");
        int groups = o.Groups;
        if (groups < 1 || input.Shape[1] != weight.Shape[1] * groups)
            throw new ShapeMismatchException($"Conv2d: input {input.Shape} has {input.Shape[1]} channels but weight {weight.Shape} with groups={groups} expects {weight.Shape[1] * groups}.");
        var g = new Conv2dGeometry(input.Shape[0], input.Shape[1], input.Shape[2], input.Shape[3],
            weight.Shape[0], weight.Shape[2], weight.Shape[3],
            o.StrideHeight, o.StrideWidth, o.PadHeight, o.PadWidth, o.DilationHeight, o.DilationWidth, groups);
        g.Validate();
        return g;
    }

    private sealed unsafe class Conv2dNode(Tensor input, Tensor weight, Tensor? bias, Conv2dGeometry g) : TapeNode(input, weight, bias)
    {
        public override string Name => "Conv2d";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            if (grads.ForOverwrite(0, out bool overwrite) is { } gx)
                Conv2dKernel.BackwardData(g, gradOutput.Data, weight.Data, gx.Data, overwrite);
            var gw = grads.For(1);
            var gb = grads.For(2);
            if (gw is not null)
                Conv2dKernel.BackwardWeight(g, input.Data, gradOutput.Data, gw.Data, PointerOrNull(gb));
            else if (gb is not null)
                Kernels.Elementwise.ElementwiseKernel.SumChannelsInto(g.Batch, g.OutChannels, g.OutHeight * g.OutWidth, gradOutput.Data, gb.Data);
        }
    }
}

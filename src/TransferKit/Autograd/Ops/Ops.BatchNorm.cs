using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;
using TransferKit.Kernels.Normalization;
using TransferKit.Tensors;

namespace TransferKit.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Batch normalisation over dimension 1 of an [N, C] or [N, C, H, W] tensor, with PyTorch's semantics:
    /// in training, batch statistics normalise and the running statistics are updated in place as
    /// running = (1 - momentum) * running + momentum * batch (variance unbiased); in evaluation, the running
    /// statistics normalise.
    /// </summary>
    /// <param name="input">[N, C] or [N, C, H, W].</param>
    /// <param name="weight">Scale gamma [C], or null for 1.</param>
    /// <param name="bias">Shift beta [C], or null for 0.</param>
    /// <param name="runningMean">[C], updated in training; required in evaluation.</param>
    /// <param name="runningVar">[C], updated in training; required in evaluation.</param>
    /// <param name="training">Batch statistics (true) or running statistics (false).</param>
    /// <param name="momentum">PyTorch's momentum (default 0.1).</param>
    /// <param name="eps">Added to the variance (default 1e-5).</param>
    /// <returns>Same shape as <paramref name="input"/>.</returns>
    public static unsafe Tensor BatchNorm(Tensor input, Tensor? weight, Tensor? bias, Tensor? runningMean, Tensor? runningVar,
        bool training, float momentum = 0.1f, float eps = 1e-5f)
    {
        CheckBatchNorm(input, weight, bias, runningMean, runningVar);
        Tensor y;
        if (training)
        {
            y = BatchNormTraining(input, weight, bias, runningMean, runningVar, momentum, eps, relu: false);
        }
        else
        {
            if (runningMean is null || runningVar is null)
                throw new ArgumentException("BatchNorm: evaluation mode needs running_mean and running_var.");
            int n = input.Shape[0], c = input.Shape[1], spatial = input.Shape.ElementsFrom(2);
            y = Tensor.Empty(input.Shape);
            BatchNormKernel.ForwardInference(n, c, spatial, input.Data, PointerOrNull(weight), PointerOrNull(bias),
                runningMean.Data, runningVar.Data, eps, y.Data);
            Tape.Record(y, () => new BatchNormInferenceNode(input, weight, bias, runningMean, runningVar, eps), input, weight, bias);
        }
        OpTrace.Current?.Record(TracedOpKind.BatchNorm, y, new TracedBatchNorm(training, eps), input, weight, bias, runningMean, runningVar);
        return y;
    }

    /// <summary>
    /// ReLU(inference batch norm) of the first <paramref name="channels"/> channels of <paramref name="features"/>
    /// [N, C, H, W], as a new [N, channels, H, W] tensor: what a DenseNet layer feeds its 1x1 convolution, read from its
    /// block's growing feature tensor without copying the prefix out first. The values are
    /// <c>Relu(BatchNorm(prefix, ..., training: false))</c>'s. Records nothing: callers run it only where no tape records.
    /// </summary>
    internal static unsafe Tensor BatchNormReluOfPrefix(Tensor features, int channels, Tensor? weight, Tensor? bias,
        Tensor runningMean, Tensor runningVar, float eps)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Rank != 4 || channels < 0 || channels > features.Shape[1])
            throw new ShapeMismatchException($"BatchNormReluOfPrefix: cannot take {channels} channels of {features.Shape}.");
        int n = features.Shape[0], spatial = features.Shape.ElementsFrom(2);
        var channelShape = new Shape(channels);
        weight?.EnsureShape(channelShape, "BatchNorm weight");
        bias?.EnsureShape(channelShape, "BatchNorm bias");
        runningMean.EnsureShape(channelShape, "BatchNorm running_mean");
        runningVar.EnsureShape(channelShape, "BatchNorm running_var");
        var y = Tensor.Empty(n, channels, features.Shape[2], features.Shape[3]);
        BatchNormKernel.ForwardInferenceRelu(n, channels, spatial, features.Data, (long)features.Shape[1] * spatial,
            PointerOrNull(weight), PointerOrNull(bias), runningMean.Data, runningVar.Data, eps, y.Data);
        return y;
    }

    /// <summary>Every channel's <see cref="BatchNormKernel.InferenceScaleShift"/>, for kernels that normalise as they read.</summary>
    private static unsafe (float[] Scale, float[] Shift) InferenceScaleShifts(int channels, Tensor? weight, Tensor? bias, Tensor runningVar, float eps)
    {
        var scale = new float[channels];
        var shift = new float[channels];
        for (int c = 0; c < channels; c++)
            (scale[c], shift[c]) = BatchNormKernel.InferenceScaleShift(c, PointerOrNull(weight), PointerOrNull(bias), runningVar.Data, eps);
        return (scale, shift);
    }

    /// <summary>
    /// AvgPool2d(ReLU(inference batch norm(input))) for a 2x2 pool at stride 2 (a DenseNet transition), with the batch
    /// norm and ReLU applied as the pool reads each cell (<see cref="Kernels.Pooling.AvgPool2dKernel.ForwardOfBatchNormRelu"/>), so their
    /// output is never written; the same values as the three ops. Null, with nothing run, where a tape records, ops are
    /// traced, or the pool is not such a pool.
    /// </summary>
    /// <param name="input">[N, C, H, W].</param>
    /// <param name="weight">Batch norm gamma [C], or null.</param>
    /// <param name="bias">Batch norm beta [C], or null.</param>
    /// <param name="runningMean">[C].</param>
    /// <param name="runningVar">[C].</param>
    /// <param name="eps">Batch norm epsilon.</param>
    /// <param name="pool">The pool's options.</param>
    /// <returns>[N, C, H / 2, W / 2], or null.</returns>
    /// <exception cref="ShapeMismatchException">The shapes do not fit together.</exception>
    internal static unsafe Tensor? TryAvgPool2dOfBatchNormRelu(Tensor input, Tensor? weight, Tensor? bias, Tensor runningMean, Tensor runningVar,
        float eps, Pool2dOptions pool)
    {
        ArgumentNullException.ThrowIfNull(input);
        if ((Tape.Current is not null && GradMode.IsEnabled) || OpTrace.Current is not null) return null;
        var g = PoolGeometryOf(input, pool, "AvgPool2d");
        if (!Kernels.Pooling.AvgPool2dKernel.IsHalving(g) || !System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) return null;
        var channelShape = new Shape(g.Channels);
        weight?.EnsureShape(channelShape, "BatchNorm weight");
        bias?.EnsureShape(channelShape, "BatchNorm bias");
        runningMean.EnsureShape(channelShape, "BatchNorm running_mean");
        runningVar.EnsureShape(channelShape, "BatchNorm running_var");
        var (scale, shift) = InferenceScaleShifts(g.Channels, weight, bias, runningVar, eps);
        var y = Tensor.Empty(g.Batch, g.Channels, g.OutHeight, g.OutWidth);
        fixed (float* s = scale, t = shift)
            Kernels.Pooling.AvgPool2dKernel.ForwardOfBatchNormRelu(g, input.Data, runningMean.Data, s, t, y.Data);
        return y;
    }

    /// <summary>
    /// activation(conv1x1(<see cref="BatchNormReluOfPrefix"/>(features, channels, ...), convWeight) + convBias) with the
    /// normalised prefix never written: the 1x1 convolution's GEMM normalises each channel as it packs it
    /// (<see cref="Conv2dKernel.ForwardPointwiseNormalized"/>), to the same values. Null, with nothing run, where that
    /// does not apply: a tape records, ops are traced, the convolution is not an ungrouped unpadded stride-1 1x1, or
    /// the GEMM cannot (bfloat16, another provider).
    /// </summary>
    /// <param name="features">[N, C, H, W]; its first <paramref name="channels"/> channels are the convolution's input.</param>
    /// <param name="channels">Channels read.</param>
    /// <param name="weight">Batch norm gamma [channels], or null.</param>
    /// <param name="bias">Batch norm beta [channels], or null.</param>
    /// <param name="runningMean">[channels].</param>
    /// <param name="runningVar">[channels].</param>
    /// <param name="eps">Batch norm epsilon.</param>
    /// <param name="convWeight">[Cout, channels, 1, 1].</param>
    /// <param name="convBias">[Cout], or null.</param>
    /// <param name="options">The convolution's options: stride 1, no padding, groups 1.</param>
    /// <param name="activation">Applied last.</param>
    /// <returns>[N, Cout, H, W], or null.</returns>
    /// <exception cref="ShapeMismatchException">The shapes do not fit together.</exception>
    internal static unsafe Tensor? TryConv2dOfBatchNormReluPrefix(Tensor features, int channels, Tensor? weight, Tensor? bias,
        Tensor runningMean, Tensor runningVar, float eps, Tensor convWeight, Tensor? convBias, Conv2dOptions options, ActivationKind activation)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(convWeight);
        if ((Tape.Current is not null && GradMode.IsEnabled) || OpTrace.Current is not null) return null;
        if (features.Rank != 4 || channels <= 0 || channels > features.Shape[1])
            throw new ShapeMismatchException($"Conv2dOfBatchNormReluPrefix: cannot take {channels} channels of {features.Shape}.");
        if (options == default) options = Conv2dOptions.Default;
        int n = features.Shape[0], h = features.Shape[2], w = features.Shape[3];
        if (convWeight.Rank != 4 || convWeight.Shape[1] * options.Groups != channels)
            throw new ShapeMismatchException($"Conv2dOfBatchNormReluPrefix: weight {convWeight.Shape} does not take {channels} channels.");
        var g = new Conv2dGeometry(n, channels, h, w, convWeight.Shape[0], convWeight.Shape[2], convWeight.Shape[3],
            options.StrideHeight, options.StrideWidth, options.PadHeight, options.PadWidth, options.DilationHeight, options.DilationWidth, options.Groups);
        g.Validate();
        if (!Conv2dKernel.AppliesPointwisePrologue(g)) return null;
        var channelShape = new Shape(channels);
        weight?.EnsureShape(channelShape, "BatchNorm weight");
        bias?.EnsureShape(channelShape, "BatchNorm bias");
        runningMean.EnsureShape(channelShape, "BatchNorm running_mean");
        runningVar.EnsureShape(channelShape, "BatchNorm running_var");
        convBias?.EnsureShape(new Shape(g.OutChannels), "Conv2d bias");
        var (scale, shift) = InferenceScaleShifts(channels, weight, bias, runningVar, eps);
        var y = Tensor.Empty(n, g.OutChannels, h, w);
        fixed (float* s = scale, t = shift)
            Conv2dKernel.ForwardPointwiseNormalized(g, features.Data, (long)features.Shape[1] * h * w, runningMean.Data, s, t,
                convWeight.Data, PointerOrNull(convBias), y.Data, activation);
        return y;
    }

    /// <summary>
    /// ReLU(batch norm) of an [N, C, H, W] tensor in training mode in one pass each way, where the composition takes
    /// two forward and three backward passes: the ReLU is applied as the normalised value is written, and the
    /// backward pass recomputes which outputs were positive from the input and the saved statistics, so the batch
    /// norm's own output never exists. Numerically it is <c>Relu(BatchNorm(...))</c> exactly. Under an
    /// <see cref="OpTrace"/> (export), and for any other input, it runs as that composition.
    /// </summary>
    internal static unsafe Tensor BatchNormRelu(Tensor input, Tensor? weight, Tensor? bias, Tensor? runningMean, Tensor? runningVar,
        bool training, float momentum, float eps)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!training || input.Rank != 4 || OpTrace.Current is not null)
            return Relu(BatchNorm(input, weight, bias, runningMean, runningVar, training, momentum, eps));
        CheckBatchNorm(input, weight, bias, runningMean, runningVar);
        return BatchNormTraining(input, weight, bias, runningMean, runningVar, momentum, eps, relu: true);
    }

    private static void CheckBatchNorm(Tensor input, Tensor? weight, Tensor? bias, Tensor? runningMean, Tensor? runningVar)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank is not (2 or 4))
            throw new ShapeMismatchException($"BatchNorm: input must be [N, C] or [N, C, H, W], got {input.Shape}.");
        var channelShape = new Shape(input.Shape[1]);
        weight?.EnsureShape(channelShape, "BatchNorm weight");
        bias?.EnsureShape(channelShape, "BatchNorm bias");
        runningMean?.EnsureShape(channelShape, "BatchNorm running_mean");
        runningVar?.EnsureShape(channelShape, "BatchNorm running_var");
    }

    /// <summary>Batch statistics normalise (and with <paramref name="relu"/> ReLU follows in the same pass); the running ones are updated.</summary>
    private static unsafe Tensor BatchNormTraining(Tensor input, Tensor? weight, Tensor? bias, Tensor? runningMean, Tensor? runningVar,
        float momentum, float eps, bool relu)
    {
        int n = input.Shape[0], c = input.Shape[1], spatial = input.Shape.ElementsFrom(2);
        var y = Tensor.Empty(input.Shape);
        var saveMean = Tensor.Empty(c);
        var saveInvStd = Tensor.Empty(c);
        var reluScale = relu ? Tensor.Empty(c) : null;
        BatchNormKernel.ForwardTraining(n, c, spatial, input.Data, PointerOrNull(weight), PointerOrNull(bias), eps, momentum,
            PointerOrNull(runningMean), PointerOrNull(runningVar), y.Data, saveMean.Data, saveInvStd.Data, relu, PointerOrNull(reluScale));
        Tape.Record(y, () => new BatchNormTrainingNode(input, weight, bias, saveMean, saveInvStd, reluScale), input, weight, bias);
        return y;
    }

    /// <summary>Training-mode batch norm, followed by ReLU when <paramref name="reluScale"/> (the forward pass's per-channel scale) is kept.</summary>
    private sealed unsafe class BatchNormTrainingNode(Tensor input, Tensor? weight, Tensor? bias, Tensor saveMean, Tensor saveInvStd, Tensor? reluScale)
        : TapeNode(input, weight, bias)
    {
        public override string Name => reluScale is null ? "BatchNorm (training)" : "BatchNorm + ReLU (training)";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            int n = input.Shape[0], c = input.Shape[1], spatial = input.Shape.ElementsFrom(2);
            var gx = grads.ForOverwrite(0, out bool overwrite);
            BatchNormKernel.BackwardTraining(n, c, spatial, input.Data, gradOutput.Data, PointerOrNull(weight),
                saveMean.Data, saveInvStd.Data, PointerOrNull(gx), PointerOrNull(grads.For(1)), PointerOrNull(grads.For(2)), overwrite,
                PointerOrNull(reluScale), PointerOrNull(bias));
        }
    }

    private sealed unsafe class BatchNormInferenceNode(Tensor input, Tensor? weight, Tensor? bias, Tensor runningMean, Tensor runningVar, float eps)
        : TapeNode(input, weight, bias)
    {
        public override string Name => "BatchNorm (inference)";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            int n = input.Shape[0], c = input.Shape[1], spatial = input.Shape.ElementsFrom(2);
            BatchNormKernel.BackwardInference(n, c, spatial, input.Data, gradOutput.Data, PointerOrNull(weight),
                runningMean.Data, runningVar.Data, eps, PointerOrNull(grads.For(0)), PointerOrNull(grads.For(1)), PointerOrNull(grads.For(2)));
        }
    }
}

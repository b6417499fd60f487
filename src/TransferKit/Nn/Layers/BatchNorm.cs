using TransferKit.Autograd;
using TransferKit.Tensors;

namespace TransferKit.Nn;

/// <summary>
/// Batch normalisation with PyTorch's names (<c>weight</c>, <c>bias</c>, <c>running_mean</c>, <c>running_var</c>),
/// epsilon 1e-5 and momentum 0.1 by default. <see cref="BatchNorm2d"/> takes [N, C, H, W] and
/// <see cref="BatchNorm1d"/> takes [N, C]. In training mode batch statistics are used and the running ones updated;
/// in evaluation mode the running ones are used.
/// </summary>
public abstract class BatchNorm : Module
{
    /// <summary>Creates the layer for <paramref name="channels"/> channels.</summary>
    protected BatchNorm(int channels, float eps, float momentum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (eps <= 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "BatchNorm eps must be positive.");
        if (momentum is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "BatchNorm momentum must be in [0, 1].");
        Channels = channels;
        Eps = eps;
        Momentum = momentum;
        Weight = AddParameter("weight", Tensor.Full(new Shape(channels), 1f));
        Bias = AddParameter("bias", Tensor.Zeros(channels));
        RunningMean = AddBuffer("running_mean", Tensor.Zeros(channels));
        RunningVar = AddBuffer("running_var", Tensor.Full(new Shape(channels), 1f));
    }

    /// <summary>Number of channels.</summary>
    public int Channels { get; }

    /// <summary>Added to the variance.</summary>
    public float Eps { get; }

    /// <summary>Weight of the new batch statistic in the running average.</summary>
    public float Momentum { get; }

    /// <summary>Scale gamma [C].</summary>
    public Parameter Weight { get; }

    /// <summary>Shift beta [C].</summary>
    public Parameter Bias { get; }

    /// <summary>Running mean [C].</summary>
    public Tensor RunningMean { get; }

    /// <summary>Running (unbiased) variance [C].</summary>
    public Tensor RunningVar { get; }

    /// <summary>
    /// Hook for inference-time batch-norm folding (<c>Models/Inference</c>): true while this layer's affine map is folded
    /// into the convolution before it, so that <see cref="Forward"/> passes its input through unchanged.
    /// </summary>
    internal Func<bool>? FoldedIntoConvolution { get; set; }

    /// <summary>
    /// Whether this layer is folded into its convolution for the call about to run, so the convolution's output is this
    /// layer's output and whatever follows may be fused into the convolution.
    /// </summary>
    internal bool IsFoldedNow => FoldedIntoConvolution?.Invoke() == true;

    /// <summary>
    /// This layer followed by <paramref name="activation"/>: in training, ReLU runs inside the batch norm's own passes
    /// (<see cref="Ops.BatchNormRelu"/>); otherwise, and for other activations, <see cref="Forward"/> then the activation.
    /// </summary>
    internal Tensor ForwardActivated(Tensor input, Kernels.Activations.ActivationKind activation)
    {
        CheckInput(input);
        if (activation == Kernels.Activations.ActivationKind.ReLU && IsTraining && !IsFoldedNow && input.Rank == 4)
            return Ops.BatchNormRelu(input, Weight.Value, Bias.Value, RunningMean, RunningVar, IsTraining, Momentum, Eps);
        var normalized = Forward(input);
        if (activation == Kernels.Activations.ActivationKind.Identity) return normalized;
        var activated = Ops.Activation(normalized, activation);
        ReleaseIntermediate(normalized);
        return activated;
    }

    /// <summary>Throws unless <paramref name="input"/> has the rank this layer takes (the two sealed layers say which).</summary>
    private protected virtual void CheckInput(Tensor input) => ArgumentNullException.ThrowIfNull(input);

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) =>
        FoldedIntoConvolution?.Invoke() == true
            ? Ops.Reshape(input, input.Shape)
            : Ops.BatchNorm(input, Weight.Value, Bias.Value, RunningMean, RunningVar, IsTraining, Momentum, Eps);
}

/// <summary>Batch normalisation over the channels of [N, C, H, W] tensors.</summary>
public sealed class BatchNorm2d(int channels, float eps = 1e-5f, float momentum = 0.1f) : BatchNorm(channels, eps, momentum)
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        CheckInput(input);
        return base.Forward(input);
    }

    private protected override void CheckInput(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4) throw new ShapeMismatchException($"BatchNorm2d: input must be [N, C, H, W], got {input.Shape}.");
    }
}

/// <summary>Batch normalisation over the features of [N, C] tensors (classifier heads).</summary>
public sealed class BatchNorm1d(int features, float eps = 1e-5f, float momentum = 0.1f) : BatchNorm(features, eps, momentum)
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        CheckInput(input);
        return base.Forward(input);
    }

    private protected override void CheckInput(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2) throw new ShapeMismatchException($"BatchNorm1d: input must be [N, C], got {input.Shape}.");
    }
}

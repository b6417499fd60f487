using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;
using TransferKit.Tensors;

namespace TransferKit.Nn;

/// <summary>
/// 2-D convolution layer with torchvision's parameter names (<c>weight</c> [Cout, Cin/groups, KH, KW], <c>bias</c> [Cout])
/// and its initialisation: Kaiming normal (fan_out, ReLU gain), bias zero.
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">Square kernel size.</param>
    /// <param name="random">Seeded source for the initial weights.</param>
    /// <param name="options">Stride, padding, dilation, groups (default: stride 1, no padding).</param>
    /// <param name="bias">Whether to learn a bias (false when BN follows).</param>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Random random, Conv2dOptions options = default, bool bias = true)
        : this(inChannels, outChannels, kernelSize, kernelSize, random, options, bias) { }

    /// <summary>Creates the layer with a rectangular kernel (Inception's 1x7 and 7x1).</summary>
    public Conv2d(int inChannels, int outChannels, int kernelHeight, int kernelWidth, Random random, Conv2dOptions options = default, bool bias = true)
    {
        if (options == default) options = Conv2dOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        if (inChannels % options.Groups != 0 || outChannels % options.Groups != 0)
            throw new ArgumentException($"Conv2d: groups ({options.Groups}) must divide inChannels ({inChannels}) and outChannels ({outChannels}).", nameof(options));
        Options = options;
        Weight = AddParameter("weight", Tensor.Empty(outChannels, inChannels / options.Groups, kernelHeight, kernelWidth));
        Init.KaimingNormalFanOut(Weight.Value, random);
        if (bias) Bias = AddParameter("bias", Tensor.Zeros(outChannels));
    }

    /// <summary>Stride, padding, dilation and groups.</summary>
    public Conv2dOptions Options { get; }

    /// <summary>[Cout, Cin/groups, KH, KW].</summary>
    public Parameter Weight { get; }

    /// <summary>[Cout], or null.</summary>
    public Parameter? Bias { get; }

    /// <summary>
    /// Hook for inference-time batch-norm folding (<c>Models/Inference</c>): returns the folded weight and bias to use in
    /// place of <see cref="Weight"/> and <see cref="Bias"/>, with the kernels' forms of that weight kept across calls,
    /// or null when folding does not apply to this call.
    /// </summary>
    internal Func<(Tensor Weight, Tensor Bias, PreparedConvWeights Prepared)?>? FoldedParameters { get; set; }

    /// <summary>
    /// Hook for a convolution that no batch norm follows (<c>Models/Inference</c>): the kernels' forms of
    /// <see cref="Weight"/> kept across calls, or null when they may not be kept in this call.
    /// </summary>
    internal Func<PreparedConvWeights?>? KeptWeights { get; set; }

    /// <summary>The kept forms of <see cref="Weight"/> bound for this call, or nothing (a no-op scope).</summary>
    private PreparedConvWeights.Scope KeepWeights() =>
        KeptWeights?.Invoke() is { } kept ? kept.Use(Weight.Value) : default;

    /// <summary>
    /// activation(this layer's output + residual) in one fused pass where nothing records gradients (see
    /// <see cref="Ops.Conv2dActivation"/>), with the folded weights when a batch-norm folding applies.
    /// </summary>
    internal Tensor ForwardActivated(Tensor input, ActivationKind activation, Tensor? residual = null)
    {
        if (FoldedParameters?.Invoke() is not var (weight, bias, prepared))
        {
            using var kept = KeepWeights();
            return Ops.Conv2dActivation(input, Weight.Value, Bias?.Value, Options, activation, residual);
        }
        using var scope = prepared.Use(weight);
        return Ops.Conv2dActivation(input, weight, bias, Options, activation, residual);
    }

    /// <summary>
    /// maxpool(activation(this layer's output)) in one fused pass where nothing records gradients and the convolution
    /// takes the direct kernel (see <see cref="Ops.TryConv2dActivationMaxPool"/>), with the folded weights when a
    /// batch-norm folding applies; null where it does not apply.
    /// </summary>
    internal Tensor? TryForwardActivatedMaxPool(Tensor input, ActivationKind activation, Pool2dOptions pool)
    {
        if (FoldedParameters?.Invoke() is not var (weight, bias, prepared))
        {
            using var kept = KeepWeights();
            return Ops.TryConv2dActivationMaxPool(input, Weight.Value, Bias?.Value, Options, activation, pool);
        }
        using var scope = prepared.Use(weight);
        return Ops.TryConv2dActivationMaxPool(input, weight, bias, Options, activation, pool);
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (FoldedParameters?.Invoke() is not var (weight, bias, prepared))
        {
            using var kept = KeepWeights();
            return Ops.Conv2d(input, Weight.Value, Bias?.Value, Options);
        }
        using var scope = prepared.Use(weight);
        return Ops.Conv2d(input, weight, bias, Options);
    }
}

using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Models.Inference;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// EfficientNet's MBConv (Tan &amp; Le 2019, after MnasNet): optional expanding 1x1 conv, depthwise conv, squeeze-and-excite
/// (SiLU, sigmoid gate, squeeze width a quarter of the block's input), linear 1x1 projection, all with SiLU and BN. When
/// the stride is 1 and the channels agree, the branch passes through stochastic depth and the input is added. Children:
/// <c>block</c> (a Sequential: keys <c>features.2.0.block.0.0.weight</c>, <c>block.2.fc1.weight</c>, ...) and
/// <c>stochastic_depth</c>.
/// </summary>
internal sealed class MBConv : Module
{
    private readonly Sequential _block;

    /// <summary>Creates the block; channels are final (already scaled).</summary>
    public MBConv(double expandRatio, int kernel, int stride, int inChannels, int outChannels, float stochasticDepth, ulong seed,
        BatchNormSettings norm, Random random)
    {
        UsesResidual = stride == 1 && inChannels == outChannels;
        int expanded = ChannelRounding.Scale(inChannels, expandRatio);
        _block = AddModule("block", new Sequential());
        if (expanded != inChannels)
            _block.Append(new Conv2dNormActivation(inChannels, expanded, 1, random, norm, ActivationKind.SiLU));
        _block.Append(new Conv2dNormActivation(expanded, expanded, kernel, random, norm, ActivationKind.SiLU, stride: stride, groups: expanded));
        _block.Append(new SqueezeExcitation(expanded, Math.Max(1, inChannels / 4), random, ActivationKind.SiLU, hardGate: false));
        _block.Append(new Conv2dNormActivation(expanded, outChannels, 1, random, norm, activation: null));
        StochasticDepth = AddModule("stochastic_depth", new StochasticDepth(stochasticDepth, seed));
    }

    /// <summary>Whether the input is added to the output.</summary>
    public bool UsesResidual { get; }

    /// <summary>The residual branch's stochastic depth.</summary>
    public StochasticDepth StochasticDepth { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (FusesGateAndResidual && TryForwardFused(input) is { } fused) return fused;
        var branch = _block.Forward(input);
        if (!UsesResidual) return branch;
        var dropped = StochasticDepth.Forward(branch);
        ReleaseIntermediate(branch);
        var sum = Ops.Add(dropped, input);
        ReleaseIntermediate(dropped);
        return sum;
    }

    /// <summary>
    /// Where the projection's batch norm is folded for this call (inference: nothing records, stochastic depth is the
    /// identity): the squeeze-and-excitation gate and the residual add run inside the projection's kernel. Its GEMM
    /// scales each channel by the gate as it packs its input and adds the block's input as it stores, so neither the
    /// gated tensor nor the branch output is written out and read back; the values are the separate ops', bit for bit.
    /// Null where that does not apply, with nothing run.
    /// </summary>
    private Tensor? TryForwardFused(Tensor input)
    {
        var projection = (Conv2dNormActivation)_block[_block.Count - 1];
        var excitation = (SqueezeExcitation)_block[_block.Count - 2];
        if (!projection.Norm.IsFoldedNow || (UsesResidual && StochasticDepth.IsTraining) || projection.Conv.FoldedParameters?.Invoke() is not var (weight, bias, prepared))
            return null;
        var hidden = PointwiseDepthwiseFusion.ForwardBranch(_block, _block.Count - 2, input);
        var gate = excitation.Gate(hidden);
        Tensor? output;
        using (prepared.Use(weight))
            output = Ops.TryConv2dOfChannelScale(hidden, gate, weight, bias, projection.Conv.Options, ActivationKind.Identity, UsesResidual ? input : null);
        if (output is null)
        {
            // The kernel does not apply after all (a one-pixel plane): finish with the separate ops.
            var scaled = Ops.ChannelScale(hidden, gate);
            var branch = projection.Forward(scaled);
            ReleaseIntermediate(scaled);
            output = UsesResidual ? Ops.Add(branch, input) : branch;
            if (UsesResidual) ReleaseIntermediate(branch);
        }
        ReleaseIntermediate(gate);
        if (!ReferenceEquals(hidden, input)) ReleaseIntermediate(hidden);
        return output;
    }

    /// <summary>Whether inference runs the gate and the residual add inside the projection; benchmarks and tests turn it off to compare.</summary>
    internal static bool FusesGateAndResidual { get; set; } = true;
}

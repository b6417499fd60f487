using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
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
        var branch = _block.Forward(input);
        if (!UsesResidual) return branch;
        var dropped = StochasticDepth.Forward(branch);
        ReleaseIntermediate(branch);
        var sum = Ops.Add(dropped, input);
        ReleaseIntermediate(dropped);
        return sum;
    }
}

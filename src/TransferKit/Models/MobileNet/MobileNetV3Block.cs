using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// MobileNetV3's bottleneck (Howard et al. 2019, Fig. 4): optional expanding 1x1 conv, depthwise conv, optional
/// squeeze-and-excite with a hard-sigmoid gate, linear 1x1 projection; the input is added when the stride is 1 and the
/// channels agree. Child <c>block</c> is a Sequential, so keys read <c>features.4.block.0.0.weight</c> (expand),
/// <c>block.1.0</c> (depthwise), <c>block.2.fc1</c> (SE), <c>block.3.0</c> (projection).
/// </summary>
internal sealed class MobileNetV3Block : Module
{
    private readonly Sequential _block;

    public MobileNetV3Block(MobileNetV3BlockSpec spec, double widthMultiplier, Random random)
    {
        var norm = BatchNormSettings.TensorFlow;
        int input = ChannelRounding.Scale(spec.InputChannels, widthMultiplier);
        int expanded = ChannelRounding.Scale(spec.ExpandedChannels, widthMultiplier);
        int output = ChannelRounding.Scale(spec.OutputChannels, widthMultiplier);
        var activation = spec.Hardswish ? ActivationKind.Hardswish : ActivationKind.ReLU;
        UsesResidual = spec.Stride == 1 && input == output;

        _block = AddModule("block", new Sequential());
        if (expanded != input)
            _block.Append(new Conv2dNormActivation(input, expanded, 1, random, norm, activation));
        int stride = spec.Dilation > 1 ? 1 : spec.Stride;
        _block.Append(new Conv2dNormActivation(expanded, expanded, spec.Kernel, random, norm, activation,
            stride: stride, groups: expanded, dilation: spec.Dilation));
        if (spec.SqueezeExcite)
            _block.Append(new SqueezeExcitation(expanded, ChannelRounding.MakeDivisible(expanded / 4, 8), random, ActivationKind.ReLU, hardGate: true));
        _block.Append(new Conv2dNormActivation(expanded, output, 1, random, norm, activation: null));
    }

    /// <summary>Whether the input is added to the output.</summary>
    public bool UsesResidual { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var branch = _block.Forward(input);
        if (!UsesResidual) return branch;
        var sum = Ops.Add(branch, input);
        ReleaseIntermediate(branch);
        return sum;
    }
}

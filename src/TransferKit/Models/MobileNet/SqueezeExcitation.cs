using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// torchvision's <c>SqueezeExcitation</c> (Hu et al. 2018, Fig. 1): global average pool, 1x1 conv <c>fc1</c> down to
/// the squeeze channels, an activation, 1x1 conv <c>fc2</c> back up, a gate, and the input scaled per channel by the
/// gate. Children are registered in torchvision's order (avgpool, fc1, fc2, activation, scale_activation), so the keys
/// are <c>fc1.weight</c>, <c>fc1.bias</c>, <c>fc2.weight</c>, <c>fc2.bias</c>.
/// </summary>
internal sealed class SqueezeExcitation : Module
{
    private readonly AdaptiveAvgPool2d _pool;
    private readonly Activation _activation;
    private readonly Module _gate;

    /// <summary>Creates the block.</summary>
    /// <param name="channels">Channels of the input and of the gate.</param>
    /// <param name="squeezeChannels">Channels between fc1 and fc2.</param>
    /// <param name="random">Seeded source for the 1x1 conv weights.</param>
    /// <param name="activation">Between fc1 and fc2: ReLU in MobileNetV3, SiLU in EfficientNet.</param>
    /// <param name="hardGate">True for MobileNetV3's hard-sigmoid gate; false for the sigmoid (EfficientNet).</param>
    public SqueezeExcitation(int channels, int squeezeChannels, Random random, ActivationKind activation, bool hardGate)
    {
        _pool = AddModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        // Options are explicit: Conv2d's default-options path yields an all-zero Conv2dOptions (groups 0).
        Fc1 = AddModule("fc1", new Conv2d(channels, squeezeChannels, 1, random, Conv2dOptions.Square()));
        Fc2 = AddModule("fc2", new Conv2d(squeezeChannels, channels, 1, random, Conv2dOptions.Square()));
        _activation = AddModule("activation", new Activation(activation));
        _gate = AddModule<Module>("scale_activation", hardGate ? new HardsigmoidGate() : new Activation(ActivationKind.Sigmoid));
    }

    /// <summary>The squeezing 1x1 conv.</summary>
    public Conv2d Fc1 { get; }

    /// <summary>The expanding 1x1 conv.</summary>
    public Conv2d Fc2 { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var gate = Gate(input);
        var scaled = Ops.ChannelScale(input, gate);
        ReleaseIntermediate(gate);
        return scaled;
    }

    /// <summary>The per-image, per-channel factors [N, C, 1, 1] that <see cref="Forward"/> scales its input by.</summary>
    internal Tensor Gate(Tensor input)
    {
        var pooled = _pool.Forward(input);
        var squeezed = Fc1.Forward(pooled);
        ReleaseIntermediate(pooled);
        var activated = _activation.Forward(squeezed);
        ReleaseIntermediate(squeezed);
        var expanded = Fc2.Forward(activated);
        ReleaseIntermediate(activated);
        var gate = _gate.Forward(expanded);
        ReleaseIntermediate(expanded);
        return gate;
    }

    /// <summary>The hard-sigmoid gate of MobileNetV3 as a parameter-free module.</summary>
    private sealed class HardsigmoidGate : Module
    {
        public override Tensor Forward(Tensor input) => Ops.Hardsigmoid(input);
    }
}

using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Tensors;

namespace TransferKit.Nn;

/// <summary>An element-wise activation layer (ReLU, ReLU6, SiLU, Sigmoid, Hardswish, Tanh). It has no parameters.</summary>
public sealed class Activation(ActivationKind kind) : Module
{
    /// <summary>The function applied.</summary>
    public ActivationKind Kind { get; } = kind;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Ops.Activation(input, Kind);
}

using TransferKit.Autograd;
using TransferKit.Tensors;

namespace TransferKit.Nn;

/// <summary>Flattens [N, ...] to [N, rest] without copying.</summary>
public sealed class Flatten : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Ops.Flatten(input);
}

/// <summary>Passes the input through (as a view), e.g. where a head has been removed.</summary>
public sealed class Identity : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Ops.Reshape(input, input.Shape);
    }
}

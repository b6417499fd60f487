using TransferKit.Autograd;
using TransferKit.Tensors;

namespace TransferKit.Nn;

/// <summary>Fully connected layer, <c>weight</c> [out, in] and <c>bias</c> [out], with PyTorch's default initialisation.</summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="inFeatures">Input features.</param>
    /// <param name="outFeatures">Output features.</param>
    /// <param name="random">Seeded source for the initial weights.</param>
    /// <param name="bias">Whether to learn a bias.</param>
    public Linear(int inFeatures, int outFeatures, Random random, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        Weight = AddParameter("weight", Tensor.Empty(outFeatures, inFeatures));
        Init.PyTorchDefaultWeight(Weight.Value, random);
        if (bias)
        {
            Bias = AddParameter("bias", Tensor.Empty(outFeatures));
            Init.PyTorchDefaultBias(Bias.Value, inFeatures, random);
        }
    }

    /// <summary>[out, in].</summary>
    public Parameter Weight { get; }

    /// <summary>[out], or null.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Ops.Linear(input, Weight.Value, Bias?.Value);
}

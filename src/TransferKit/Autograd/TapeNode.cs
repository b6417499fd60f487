using TransferKit.Tensors;

namespace TransferKit.Autograd;

/// <summary>
/// One recorded primitive: its inputs, its output and the backward rule. A node keeps only what its
/// backward needs (llm.c's discipline); its saved tensors live in the step's <see cref="TensorScope"/>.
/// </summary>
internal abstract class TapeNode
{
    protected TapeNode(params Tensor?[] inputs) => Inputs = inputs;

    /// <summary>Inputs in the order <see cref="Backward"/> addresses them; null for absent optional inputs.</summary>
    public Tensor?[] Inputs { get; }

    /// <summary>The tensor this node produced.</summary>
    public Tensor Output { get; set; } = null!;

    /// <summary>A short name for errors, e.g. "Conv2d".</summary>
    public abstract string Name { get; }

    /// <summary>Adds this op's contribution to the gradients of its inputs.</summary>
    /// <param name="gradOutput">d(loss)/d(output), same shape as <see cref="Output"/>.</param>
    /// <param name="grads">Gives the accumulation buffer of each input that needs a gradient, or null.</param>
    public abstract void Backward(Tensor gradOutput, GradientSink grads);
}

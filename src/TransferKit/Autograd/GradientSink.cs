using TransferKit.Tensors;

namespace TransferKit.Autograd;

/// <summary>
/// Hands a node the gradient buffers of its inputs during backward. Buffers start at zero (or hold what
/// earlier nodes added) and kernels add into them, so fan-out sums correctly.
/// </summary>
internal sealed class GradientSink
{
    private readonly Tape _tape;
    private TapeNode _node = null!;

    public GradientSink(Tape tape) => _tape = tape;

    internal void Bind(TapeNode node) => _node = node;

    /// <summary>The gradient buffer for input <paramref name="index"/>, or null when that input needs none.</summary>
    public Tensor? For(int index)
    {
        var input = _node.Inputs[index];
        if (input is null || !input.RequiresGrad) return null;
        return _tape.GradientBufferFor(input);
    }

    /// <summary>Whether input <paramref name="index"/> needs a gradient (lets a node skip work).</summary>
    public bool Needs(int index) => _node.Inputs[index] is { RequiresGrad: true };
}

using TransferKit.Tensors;

namespace TransferKit.Autograd;

/// <summary>
/// Hands a node the gradient buffers of its inputs during backward. Buffers start at zero (or hold what
/// earlier nodes added) and kernels add into them, so fan-out sums correctly; a node that asks with
/// <see cref="ForOverwrite"/> may instead be handed a fresh buffer to write in full.
/// </summary>
internal sealed class GradientSink
{
    private readonly Tape _tape;
    private TapeNode _node = null!;

    public GradientSink(Tape tape) => _tape = tape;

    internal void Bind(TapeNode node) => _node = node;

    /// <summary>The gradient buffer for input <paramref name="index"/>, or null when that input needs none.</summary>
    public Tensor? For(int index) => For(index, canOverwrite: false, out _);

    /// <summary>
    /// Like <see cref="For(int)"/>, for a node that can either add into the buffer or write every element of it: when
    /// <paramref name="overwrite"/> comes back true the buffer is uninitialised and the node must write all of it.
    /// </summary>
    public Tensor? ForOverwrite(int index, out bool overwrite) => For(index, canOverwrite: true, out overwrite);

    private Tensor? For(int index, bool canOverwrite, out bool overwrite)
    {
        overwrite = false;
        var input = _node.Inputs[index];
        if (input is null || !input.RequiresGrad) return null;
        return _tape.GradientBufferFor(input, canOverwrite, out overwrite);
    }

    /// <summary>Whether input <paramref name="index"/> needs a gradient (lets a node skip work).</summary>
    public bool Needs(int index) => _node.Inputs[index] is { RequiresGrad: true };
}

using TransferKit.Kernels.Elementwise;
using TransferKit.Tensors;

namespace TransferKit.Autograd;

public static partial class Ops
{
    /// <summary>A differentiable view with another shape over the same storage (no copy).</summary>
    /// <exception cref="ShapeMismatchException">The element counts differ.</exception>
    public static Tensor Reshape(Tensor input, Shape shape)
    {
        ArgumentNullException.ThrowIfNull(input);
        var y = input.Reshape(shape);
        Tape.Record(y, () => new ReshapeNode(input), input);
        OpTrace.Current?.Record(TracedOpKind.Reshape, y, null, input);
        return y;
    }

    /// <summary>Flattens every dimension after the first: [N, ...] to [N, rest].</summary>
    public static Tensor Flatten(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Reshape(input, new Shape(input.Shape[0], input.Shape.ElementsFrom(1)));
    }

    /// <summary>Concatenates [N, Ci, H, W] (or [N, Ci]) tensors along the channel dimension.</summary>
    /// <exception cref="ShapeMismatchException">The tensors differ outside dimension 1.</exception>
    public static unsafe Tensor Concat(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new ArgumentException("Concat needs at least one tensor.", nameof(inputs));
        var first = inputs[0].Shape;
        int batch = first[0], spatial = first.ElementsFrom(2), total = 0;
        var channels = new int[inputs.Count];
        var pointers = new nint[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            var s = inputs[i].Shape;
            if (s.Rank != first.Rank || s[0] != batch || s.ElementsFrom(2) != spatial)
                throw new ShapeMismatchException($"Concat: tensor {i} has shape {s}, which differs from {first} outside the channel dimension.");
            channels[i] = s[1];
            pointers[i] = (nint)inputs[i].Data;
            total += s[1];
        }
        var dims = first.ToArray();
        dims[1] = total;
        var y = Tensor.Empty(new Shape(dims));
        ConcatKernel.Forward(batch, channels, spatial, pointers, y.Data);
        var saved = inputs.ToArray();
        Tape.Record(y, () => new ConcatNode(saved, channels), saved);
        OpTrace.Current?.Record(TracedOpKind.Concat, y, null, saved);
        return y;
    }

    /// <summary>
    /// Writes <paramref name="source"/> [N, c, H, W] into channels [<paramref name="offset"/>, offset + c) of
    /// <paramref name="target"/> [N, C, H, W], for a concatenation grown in place. Records nothing: callers run it only
    /// where no tape records.
    /// </summary>
    /// <exception cref="ShapeMismatchException">The shapes differ outside the channels, or the band does not fit.</exception>
    internal static unsafe void CopyIntoChannels(Tensor source, Tensor target, int offset)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var s = source.Shape;
        var t = target.Shape;
        if (s.Rank != 4 || t.Rank != 4 || s[0] != t[0] || s[2] != t[2] || s[3] != t[3] || offset < 0 || offset + s[1] > t[1])
            throw new ShapeMismatchException($"CopyIntoChannels: cannot write {s} at channel {offset} of {t}.");
        ConcatKernel.CopyBand(s[0], s[1], s.ElementsFrom(2), source.Data, target.Data, t[1], offset);
    }

    private sealed unsafe class ReshapeNode(Tensor input) : TapeNode(input)
    {
        public override string Name => "Reshape";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            if (grads.For(0) is { } gx) ElementwiseKernel.AddInPlace(gradOutput.Data, gx.Data, gx.Length);
        }
    }

    private sealed unsafe class ConcatNode(Tensor[] inputs, int[] channels) : TapeNode(inputs)
    {
        public override string Name => "Concat";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            var targets = new nint[Inputs.Length];
            for (int i = 0; i < targets.Length; i++) targets[i] = grads.For(i) is { } g ? (nint)g.Data : 0;
            var first = Inputs[0]!.Shape;
            ConcatKernel.Backward(first[0], channels, first.ElementsFrom(2), gradOutput.Data, targets);
        }
    }
}

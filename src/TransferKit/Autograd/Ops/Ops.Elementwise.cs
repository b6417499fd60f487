using TransferKit.Kernels.Elementwise;
using TransferKit.Tensors;

namespace TransferKit.Autograd;

public static partial class Ops
{
    /// <summary>Element-wise sum of two tensors of the same shape (residual connections).</summary>
    /// <exception cref="ShapeMismatchException">The shapes differ.</exception>
    public static unsafe Tensor Add(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        b.EnsureShape(a.Shape, "Add");
        var y = Tensor.Empty(a.Shape);
        ElementwiseKernel.Add(a.Data, b.Data, y.Data, a.Length);
        Tape.Record(y, () => new AddNode(a, b), a, b);
        OpTrace.Current?.Record(TracedOpKind.Add, y, null, a, b);
        return y;
    }

    /// <summary>Scales each channel of each image: y[n, c, h, w] = x[n, c, h, w] * scale[n, c] (squeeze-and-excite).</summary>
    /// <param name="input">[N, C, H, W].</param>
    /// <param name="scale">[N, C, 1, 1] or [N, C].</param>
    public static unsafe Tensor ChannelScale(Tensor input, Tensor scale)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(scale);
        RequireRank(input, 4, "ChannelScale", "input");
        int n = input.Shape[0], c = input.Shape[1], spatial = input.Shape.ElementsFrom(2);
        if (scale.Length != n * c || scale.Shape[0] != n || scale.Shape[1] != c)
            throw new ShapeMismatchException($"ChannelScale: scale {scale.Shape} does not match [N, C] of input {input.Shape}.");
        var y = Tensor.Empty(input.Shape);
        ChannelScaleKernel.Forward(n, c, spatial, input.Data, scale.Data, y.Data);
        Tape.Record(y, () => new ChannelScaleNode(input, scale), input, scale);
        OpTrace.Current?.Record(TracedOpKind.ChannelScale, y, null, input, scale);
        return y;
    }

    /// <summary>
    /// Inverted dropout: in training, zeroes each element with probability <paramref name="p"/> and scales the rest by 1/(1-p);
    /// the mask depends only on <paramref name="seed"/> and the element index. Outside training it returns a view of the input.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1).</exception>
    public static unsafe Tensor Dropout(Tensor input, float p, ulong seed, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (p is < 0f or >= 1f) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1).");
        if (!training || p == 0f) return Reshape(input, input.Shape);
        var y = Tensor.Empty(input.Shape);
        var mask = Tensor.Empty(input.Shape);
        DropoutKernel.Forward(input.Length, p, seed, input.Data, y.Data, mask.Data);
        Tape.Record(y, () => new DropoutNode(input, mask), input);
        OpTrace.Current?.Record(TracedOpKind.Unsupported, y, "Dropout (training)", input);
        return y;
    }

    private sealed unsafe class AddNode(Tensor a, Tensor b) : TapeNode(a, b)
    {
        public override string Name => "Add";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            if (grads.For(0) is { } ga) ElementwiseKernel.AddInPlace(gradOutput.Data, ga.Data, ga.Length);
            if (grads.For(1) is { } gb) ElementwiseKernel.AddInPlace(gradOutput.Data, gb.Data, gb.Length);
        }
    }

    private sealed unsafe class ChannelScaleNode(Tensor input, Tensor scale) : TapeNode(input, scale)
    {
        public override string Name => "ChannelScale";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            int n = input.Shape[0], c = input.Shape[1], spatial = input.Shape.ElementsFrom(2);
            ChannelScaleKernel.Backward(n, c, spatial, input.Data, scale.Data, gradOutput.Data,
                PointerOrNull(grads.For(0)), PointerOrNull(grads.For(1)));
        }
    }

    private sealed unsafe class DropoutNode(Tensor input, Tensor mask) : TapeNode(input)
    {
        public override string Name => "Dropout";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            if (grads.For(0) is { } gx) DropoutKernel.Backward(input.Length, mask.Data, gradOutput.Data, gx.Data);
        }
    }
}

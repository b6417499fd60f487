using TransferKit.Tensors;

namespace TransferKit.Autograd;

public static partial class Ops
{
    /// <summary>x for x &gt;= 0, <paramref name="alpha"/> * x below (ONNX LeakyRelu; PyTorch's negative_slope).</summary>
    public static Tensor LeakyRelu(Tensor input, float alpha = 0.01f) =>
        Pointwise(input, "LeakyRelu", TracedOpKind.LeakyRelu, alpha, x => x >= 0f ? x : alpha * x, (x, _) => x >= 0f ? 1f : alpha);

    /// <summary>min(max(x, <paramref name="min"/>), <paramref name="max"/>); the gradient is 1 strictly inside the range, as ONNX Runtime and PyTorch.</summary>
    public static Tensor Clip(Tensor input, float min, float max) =>
        Pointwise(input, "Clip", TracedOpKind.Clip, new[] { min, max }, x => MathF.Min(MathF.Max(x, min), max), (x, _) => x > min && x < max ? 1f : 0f);

    /// <summary>max(0, min(1, <paramref name="alpha"/> * x + <paramref name="beta"/>)) (ONNX HardSigmoid; PyTorch's is alpha 1/6, beta 1/2).</summary>
    public static Tensor HardSigmoid(Tensor input, float alpha, float beta) =>
        Pointwise(input, "HardSigmoid", TracedOpKind.HardSigmoid, new[] { alpha, beta }, x => MathF.Max(0f, MathF.Min(1f, alpha * x + beta)),
            (x, _) => alpha * x + beta is > 0f and < 1f ? alpha : 0f);

    /// <summary>
    /// An element-wise map with its derivative, for the few activations imported graphs need beyond the fast
    /// <see cref="Kernels.Activations.ActivationKind"/> kernels. <paramref name="derivative"/> receives the input and the output.
    /// </summary>
    private static unsafe Tensor Pointwise(Tensor input, string name, TracedOpKind traced, object settings, Func<float, float> map, Func<float, float, float> derivative)
    {
        ArgumentNullException.ThrowIfNull(input);
        var y = Tensor.Empty(input.Shape);
        float* x = input.Data, o = y.Data;
        for (int i = 0; i < input.Length; i++) o[i] = map(x[i]);
        Tape.Record(y, () => new PointwiseNode(input, name, derivative), input);
        OpTrace.Current?.Record(traced, y, settings, input);
        return y;
    }

    private sealed unsafe class PointwiseNode(Tensor input, string name, Func<float, float, float> derivative) : TapeNode(input)
    {
        public override string Name => name;

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            if (grads.For(0) is not { } gx) return;
            float* x = input.Data, y = Output.Data, g = gradOutput.Data, d = gx.Data;
            for (int i = 0; i < input.Length; i++) d[i] += g[i] * derivative(x[i], y[i]);
        }
    }
}

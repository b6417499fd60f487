using TransferKit.Tensors;

namespace TransferKit.Autograd;

public static partial class Ops
{
    /// <summary>
    /// relu6(x + 3) / 6, the gate of MobileNetV3's squeeze-and-excitation (Howard et al. 2019, section 5.2); the output
    /// has the input's shape. The gradient is 1/6 for -3 &lt; x &lt; 3 and 0 elsewhere, boundaries included, as PyTorch's
    /// <c>hardsigmoid_backward</c>.
    /// </summary>
    /// <remarks>
    /// It runs on [N, C, 1, 1] gate tensors only (a few thousand elements per image), so plain loops are enough; if it
    /// ever runs on feature maps it should become an <c>ActivationKind</c> with vector operators.
    /// </remarks>
    public static unsafe Tensor Hardsigmoid(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var y = Tensor.Empty(input.Shape);
        float* x = input.Data, o = y.Data;
        for (int i = 0; i < input.Length; i++) o[i] = MathF.Min(MathF.Max(x[i] + 3f, 0f), 6f) / 6f;
        Tape.Record(y, () => new HardsigmoidNode(input), input);
        OpTrace.Current?.Record(TracedOpKind.HardSigmoid, y, new[] { 1f / 6f, 0.5f }, input);
        return y;
    }

    private sealed unsafe class HardsigmoidNode(Tensor input) : TapeNode(input)
    {
        public override string Name => "Hardsigmoid";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            if (grads.For(0) is not { } gx) return;
            float* x = input.Data, g = gradOutput.Data, d = gx.Data;
            for (int i = 0; i < input.Length; i++)
                if (x[i] > -3f && x[i] < 3f) d[i] += g[i] / 6f;
        }
    }
}

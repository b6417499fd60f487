using TransferKit.Kernels.Gemm;
using TransferKit.Tensors;

namespace TransferKit.Autograd;

public static partial class Ops
{
    /// <summary>Matrix product a b of [M, K] and [K, N] (ONNX MatMul and Gemm with transB = 0, whose weight is [in, out]).</summary>
    /// <returns>[M, N].</returns>
    /// <exception cref="ShapeMismatchException">The operands are not matrices or their inner dimensions differ.</exception>
    public static unsafe Tensor MatMul(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        RequireRank(a, 2, "MatMul", "a");
        RequireRank(b, 2, "MatMul", "b");
        int m = a.Shape[0], k = a.Shape[1], n = b.Shape[1];
        if (b.Shape[0] != k) throw new ShapeMismatchException($"MatMul: a {a.Shape} and b {b.Shape} have different inner dimensions.");
        var y = Tensor.Empty(m, n);
        GemmEngine.Sgemm(false, false, m, n, k, 1f, a.Data, k, b.Data, n, 0f, y.Data, n);
        Tape.Record(y, () => new MatMulNode(a, b), a, b);
        OpTrace.Current?.Record(TracedOpKind.MatMul, y, null, a, b);
        return y;
    }

    private sealed unsafe class MatMulNode(Tensor a, Tensor b) : TapeNode(a, b)
    {
        public override string Name => "MatMul";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            int m = a.Shape[0], k = a.Shape[1], n = b.Shape[1];
            if (grads.For(0) is { } ga)
                GemmEngine.Sgemm(false, true, m, k, n, 1f, gradOutput.Data, n, b.Data, n, 1f, ga.Data, k);
            if (grads.For(1) is { } gb)
                GemmEngine.Sgemm(true, false, k, n, m, 1f, a.Data, k, gradOutput.Data, n, 1f, gb.Data, n);
        }
    }
}

using TransferKit.Kernels.Elementwise;
using TransferKit.Kernels.Gemm;
using TransferKit.Tensors;

namespace TransferKit.Autograd;

public static partial class Ops
{
    /// <summary>Fully connected layer: y = x W^T + b.</summary>
    /// <param name="input">[N, in].</param>
    /// <param name="weight">[out, in], torchvision's layout.</param>
    /// <param name="bias">[out] or null.</param>
    /// <returns>[N, out].</returns>
    /// <exception cref="ShapeMismatchException">The shapes do not fit together.</exception>
    public static unsafe Tensor Linear(Tensor input, Tensor weight, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        RequireRank(input, 2, "Linear", "input");
        RequireRank(weight, 2, "Linear", "weight");
        int n = input.Shape[0], inFeatures = input.Shape[1], outFeatures = weight.Shape[0];
        if (weight.Shape[1] != inFeatures)
            throw new ShapeMismatchException($"Linear: input {input.Shape} has {inFeatures} features but weight {weight.Shape} expects {weight.Shape[1]}.");
        bias?.EnsureShape(new Shape(outFeatures), "Linear bias");

        var y = Tensor.Empty(n, outFeatures);
        GemmEngine.Sgemm(false, true, n, outFeatures, inFeatures, 1f, input.Data, inFeatures, weight.Data, inFeatures, 0f, y.Data, outFeatures);
        if (bias is not null) ElementwiseKernel.AddRowBias(n, outFeatures, bias.Data, y.Data);
        Tape.Record(y, () => new LinearNode(input, weight, bias), input, weight, bias);
        OpTrace.Current?.Record(TracedOpKind.Linear, y, null, input, weight, bias);
        return y;
    }

    private sealed unsafe class LinearNode(Tensor input, Tensor weight, Tensor? bias) : TapeNode(input, weight, bias)
    {
        public override string Name => "Linear";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            int n = input.Shape[0], inF = input.Shape[1], outF = weight.Shape[0];
            if (grads.For(0) is { } gx)
                GemmEngine.Sgemm(false, false, n, inF, outF, 1f, gradOutput.Data, outF, weight.Data, inF, 1f, gx.Data, inF);
            if (grads.For(1) is { } gw)
                GemmEngine.Sgemm(true, false, outF, inF, n, 1f, gradOutput.Data, outF, input.Data, inF, 1f, gw.Data, inF);
            if (grads.For(2) is { } gb)
                ElementwiseKernel.SumRowsInto(n, outF, gradOutput.Data, gb.Data);
        }
    }
}

using TransferKit.Autograd;
using TransferKit.Tensors;
using TransferKit.Weights.Onnx;

namespace TransferKit.Models.Onnx;

/// <summary>A compiled tensor operator: runs one node on its arguments and returns its first output.</summary>
internal delegate Tensor OnnxKernel(OnnxArgs args);

/// <summary>
/// Compiles ONNX nodes that compute on image tensors into calls of the differentiable <see cref="Ops"/> primitives, so every
/// imported operator has a backward pass. Attributes are parsed once, at import; what depends on the input shape
/// (auto_pad, Reshape targets) is resolved per call.
/// </summary>
internal static partial class OnnxOperators
{
    /// <summary>The operators that run on tensors (shape arithmetic is <see cref="OnnxConstantFolding"/>'s).</summary>
    public static IReadOnlyCollection<string> Names { get; } =
    [
        "Conv", "BatchNormalization", "Relu", "LeakyRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Add", "Sub", "Mul", "Div",
        "Sum", "Concat", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Flatten", "Gemm", "MatMul", "Reshape",
        "Squeeze", "Unsqueeze", "Transpose", "Pad", "Dropout", "Identity", "Softmax", "Cast",
    ];

    /// <summary>Compiles <paramref name="node"/>.</summary>
    /// <exception cref="NotSupportedException">The operator, or one of its attribute values, is not supported; the message says which.</exception>
    public static OnnxKernel Compile(OnnxNode node, long opset)
    {
        var a = new OnnxAttributes(node);
        switch (node.OpType)
        {
            case "Conv": return CompileConv(a);
            case "BatchNormalization": return CompileBatchNorm(a, opset);
            case "MaxPool" or "AveragePool": return CompilePool(node.OpType == "MaxPool", a);
            case "GlobalAveragePool": return x => Ops.AdaptiveAvgPool2d(x.Tensor(0));
            case "GlobalMaxPool": return x => Ops.AdaptiveMaxPool2d(x.Tensor(0));
            case "Relu": return x => Ops.Relu(x.Tensor(0));
            case "LeakyRelu": float alpha = a.Float("alpha", 0.01f); return x => Ops.LeakyRelu(x.Tensor(0), alpha);
            case "Sigmoid": return x => Ops.Sigmoid(x.Tensor(0));
            case "HardSigmoid":
                float ha = a.Float("alpha", 0.2f), hb = a.Float("beta", 0.5f);
                return x => Ops.HardSigmoid(x.Tensor(0), ha, hb);
            case "HardSwish": return x => Ops.Hardswish(x.Tensor(0));
            case "Clip": return CompileClip(a, opset);
            case "Add": return x => Ops.Broadcast(x.Tensor(0), x.Tensor(1), BinaryKind.Add);
            case "Sub": return x => Ops.Broadcast(x.Tensor(0), x.Tensor(1), BinaryKind.Subtract);
            case "Mul": return x => Ops.Broadcast(x.Tensor(0), x.Tensor(1), BinaryKind.Multiply);
            case "Div": return x => Ops.Broadcast(x.Tensor(0), x.Tensor(1), BinaryKind.Divide);
            case "Sum": return Sum;
            case "Concat": return CompileConcat(a);
            case "Gemm": return CompileGemm(a);
            case "MatMul": return x => Ops.MatMul(x.Tensor(0), x.Tensor(1));
            case "Softmax": return CompileSoftmax(a, opset);
            case "Dropout": return CompileDropout(a);
            case "Identity" or "Cast": return x => Ops.Reshape(x.Tensor(0), x.Tensor(0).Shape);
            case "Pad": return CompilePad(a, opset);
            case "Flatten":
                long flattenAxis = a.Int("axis", 1);
                return x => Ops.Reshape(x.Tensor(0), new Shape(OnnxShapes.Flatten(x.Tensor(0).Shape.ToArray(), flattenAxis)));
            case "Reshape":
                return x => Ops.Reshape(x.Tensor(0), new Shape(OnnxShapes.ReshapeTarget(x.Tensor(0).Shape.ToArray(), x.Constant(1).AsIntegers(), x.FixedBatch)));
            case "Squeeze" or "Unsqueeze":
                bool squeeze = node.OpType == "Squeeze";
                return x =>
                {
                    var axes = x.Opset >= 13 && x.Has(1) ? x.Constant(1).AsIntegers() : a.Ints("axes");
                    var dims = x.Tensor(0).Shape.ToArray();
                    return Ops.Reshape(x.Tensor(0), new Shape(squeeze ? OnnxShapes.Squeeze(dims, axes) : OnnxShapes.Unsqueeze(dims, axes)));
                };
            case "Transpose": return CompileTranspose(a);
            default: throw new NotSupportedException($"operator '{node.OpType}' is not supported.");
        }
    }

    private static Tensor Sum(OnnxArgs x)
    {
        var total = Ops.Reshape(x.Tensor(0), x.Tensor(0).Shape);
        for (int i = 1; i < x.Count; i++) total = ReleaseAfter(total, null, Ops.Broadcast(total, x.Tensor(i), BinaryKind.Add));
        return total;
    }

    /// <summary>
    /// Frees an operator's own temporary (a padded copy, a partial sum) once <paramref name="result"/> no longer needs it,
    /// unless a tape is recording (backward reads it; the step's scope frees it) or it is the operator's input.
    /// </summary>
    private static Tensor ReleaseAfter(Tensor temporary, Tensor? input, Tensor result)
    {
        bool recording = Tape.Current is not null && GradMode.IsEnabled;
        if (!recording && !ReferenceEquals(temporary, input)) temporary.Dispose();
        return result;
    }

    private static OnnxKernel CompileClip(OnnxAttributes a, long opset)
    {
        if (opset < 11)
        {
            float min = a.Float("min", float.MinValue), max = a.Float("max", float.MaxValue);
            return x => ClipOf(x.Tensor(0), min, max);
        }
        return x => ClipOf(x.Tensor(0),
            x.ConstantOrNull(1) is { } lo ? (float)lo.At(0) : float.MinValue,
            x.ConstantOrNull(2) is { } hi ? (float)hi.At(0) : float.MaxValue);
    }

    private static Tensor ClipOf(Tensor x, float min, float max) =>
        min == 0f && max == 6f ? Ops.Relu6(x) : min == 0f && max == float.MaxValue ? Ops.Relu(x) : Ops.Clip(x, min, max);

    private static OnnxKernel CompileConcat(OnnxAttributes a)
    {
        long axis = a.Int("axis", 1);
        return x =>
        {
            var parts = Enumerable.Range(0, x.Count).Select(x.Tensor).ToList();
            if (OnnxShapes.Axis(axis, parts[0].Rank, "Concat") != 1)
                throw new NotSupportedException($"Concat of image tensors along axis {axis} is not supported (only the channel axis 1).");
            return Ops.Concat(parts);
        };
    }

    private static OnnxKernel CompileGemm(OnnxAttributes a)
    {
        if (a.Float("alpha", 1f) != 1f || a.Float("beta", 1f) != 1f)
            throw new NotSupportedException("Gemm with alpha or beta other than 1 is not supported.");
        if (a.Int("transA", 0) != 0) throw new NotSupportedException("Gemm with transA = 1 is not supported.");
        bool transB = a.Int("transB", 0) != 0;
        return x =>
        {
            var input = x.Tensor(0);
            var bias = x.TensorOrNull(2);
            if (transB && (bias is null || bias.Rank == 1)) return Ops.Linear(input, x.Tensor(1), bias);
            var product = transB ? throw new NotSupportedException("Gemm with transB = 1 needs a [out] bias.") : Ops.MatMul(input, x.Tensor(1));
            return bias is null ? product : Ops.Broadcast(product, bias, BinaryKind.Add);
        };
    }

    private static OnnxKernel CompileSoftmax(OnnxAttributes a, long opset)
    {
        long axis = a.Int("axis", opset >= 13 ? -1 : 1);
        return x =>
        {
            var input = x.Tensor(0);
            var dims = input.Shape.ToArray();
            int ax = OnnxShapes.Axis(axis, dims.Length, "Softmax");
            // Softmax runs over one axis (opset 13) or over everything from the axis on (before 13); both are rows of a
            // [outer, rest] matrix when the dimensions after the axis are 1, or before opset 13 in any case.
            if (opset >= 13 && dims.Skip(ax + 1).Any(d => d != 1))
                throw new NotSupportedException($"Softmax over axis {axis} of {input.Shape} is not supported (only the last non-trivial axis).");
            var rows = Ops.Reshape(input, new Shape(OnnxShapes.Flatten(dims, ax)));
            var y = ReleaseAfter(rows, null, Ops.Softmax(rows));
            return ReleaseAfter(y, null, Ops.Reshape(y, input.Shape));
        };
    }

    private static OnnxKernel CompileDropout(OnnxAttributes a)
    {
        float ratioAttr = a.Float("ratio", 0.5f);
        return x =>
        {
            float ratio = x.Opset >= 12 && x.ConstantOrNull(1) is { } r ? (float)r.At(0) : ratioAttr;
            return Ops.Dropout(x.Tensor(0), ratio, x.DropoutSeed, x.Training);
        };
    }

    private static OnnxKernel CompileTranspose(OnnxAttributes a)
    {
        var perm = a.Ints("perm").Select(p => (int)p).ToArray();
        return x =>
        {
            var input = x.Tensor(0);
            var dims = input.Shape.ToArray();
            var order = perm.Length == 0 ? Enumerable.Range(0, dims.Length).Reverse().ToArray() : perm;
            // A permutation that only moves dimensions of size 1 keeps the memory order: a reshape.
            var moved = order.Where(p => dims[p] != 1).ToArray();
            if (!moved.SequenceEqual(moved.Order()))
                throw new NotSupportedException($"Transpose {string.Join(",", order)} of {input.Shape} moves data; only transposes that fold into a reshape are supported.");
            return Ops.Reshape(input, new Shape(order.Select(p => dims[p]).ToArray()));
        };
    }
}

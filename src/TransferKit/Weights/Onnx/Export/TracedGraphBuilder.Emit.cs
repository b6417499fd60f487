using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Tensors;

namespace TransferKit.Weights.Onnx.Export;

internal sealed partial class TracedGraphBuilder
{
    /// <summary>Emits the nodes of <paramref name="ops"/>; <paramref name="outputs"/> are the tensors the graph returns.</summary>
    /// <exception cref="OnnxExportFailure">An op has no ONNX form here (the message names it).</exception>
    public void Emit(IReadOnlyList<TracedOp> ops, IReadOnlyList<Tensor> outputs)
    {
        var plan = FoldingPlan.Create(ops, outputs);
        for (int i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            string where = $"op {i} ({op.Kind})";
            if (plan.IsAlias(op))
            {
                _values[op.Output] = ValueOf(op.Inputs[0]!, where);
                continue;
            }
            if (plan.FoldedBackward.TryGetValue(i, out int producer))
            {
                // The batch norm lives in its producer's weights now.
                _values[op.Output] = ValueOf(ops[producer].Output, where);
                continue;
            }
            if (plan.FoldedForward.ContainsKey(i))
            {
                // The batch norm moves into the linear layer that reads it; until then its input stands for it.
                _values[op.Output] = ValueOf(op.Inputs[0]!, where);
                continue;
            }
            var afterNorm = plan.NormAfter.TryGetValue(i, out int b) ? ops[b] : null;
            var beforeNorm = plan.NormBefore.TryGetValue(i, out int a) ? ops[a] : null;
            _values[op.Output] = EmitOne(op, where, afterNorm, beforeNorm);
        }
    }

    private Value EmitOne(TracedOp op, string where, TracedOp? normAfter, TracedOp? normBefore)
    {
        var shape = op.Output.Shape.ToArray();
        Value In(int k) => ValueOf(op.Inputs[k]!, $"{where} input {k}");
        bool batched = op.Inputs.Any(t => t is not null && _values.TryGetValue(t, out var v) && v.Batched);
        Value Out(string name) => new(name, shape, batched);
        switch (op.Kind)
        {
            case TracedOpKind.Conv2d:
                return Out(Conv(op, where, normAfter));
            case TracedOpKind.Linear:
                return Out(Gemm(op, where, normAfter, normBefore));
            case TracedOpKind.BatchNorm:
                return Out(BatchNormAsAffine(op, where));
            case TracedOpKind.Activation:
                return Out(Activation(In(0).Name, (ActivationKind)op.Settings!));
            case TracedOpKind.Clip:
                var range = (float[])op.Settings!;
                return Out(Clip(In(0).Name, range[0], range[1]));
            case TracedOpKind.LeakyRelu:
                return Out(AddNode("LeakyRelu", [In(0).Name], Float("alpha", (float)op.Settings!)));
            case TracedOpKind.HardSigmoid:
                var ab = (float[])op.Settings!;
                return Out(AddNode("HardSigmoid", [In(0).Name], Float("alpha", ab[0]), Float("beta", ab[1])));
            case TracedOpKind.Add:
                return Out(AddNode("Add", [In(0).Name, In(1).Name]));
            case TracedOpKind.Broadcast:
                string binary = (BinaryKind)op.Settings! switch
                {
                    BinaryKind.Add => "Add",
                    BinaryKind.Subtract => "Sub",
                    BinaryKind.Multiply => "Mul",
                    _ => "Div",
                };
                return Out(AddNode(binary, [In(0).Name, In(1).Name]));
            case TracedOpKind.ChannelScale:
                return Out(ChannelScale(In(0), In(1), where));
            case TracedOpKind.MatMul:
                return Out(AddNode("MatMul", [In(0).Name, In(1).Name]));
            case TracedOpKind.MaxPool2d or TracedOpKind.AvgPool2d:
                return Out(Pool(op.Kind == TracedOpKind.MaxPool2d, In(0).Name, (Pool2dOptions)op.Settings!));
            case TracedOpKind.AdaptiveAvgPool2d or TracedOpKind.AdaptiveMaxPool2d:
                return Out(AdaptivePool(op.Kind == TracedOpKind.AdaptiveMaxPool2d, In(0), shape[2], shape[3], where));
            case TracedOpKind.Pad2d:
                var pad = (TracedPad)op.Settings!;
                string pads = AddInt64Constant("pads", [0, 0, pad.Top, pad.Left, 0, 0, pad.Bottom, pad.Right]);
                var fill = AddFloatConstant("pad_value", [pad.Value], []);
                return Out(AddNode("Pad", [In(0).Name, pads, fill.Name], new OnnxAttribute("mode", OnnxAttributeType.String, 0, 0, "constant", null, [], [])));
            case TracedOpKind.Reshape:
                return Out(Reshape(In(0), shape, where));
            case TracedOpKind.Concat:
                return Out(AddNode("Concat", op.Inputs.Select((t, k) => In(k).Name).ToArray(), Int("axis", 1)));
            case TracedOpKind.Softmax:
                return Out(AddNode("Softmax", [In(0).Name], Int("axis", 1)));
            case TracedOpKind.LogSoftmax:
                return Out(AddNode("LogSoftmax", [In(0).Name], Int("axis", 1)));
            default:
                throw new OnnxExportFailure($"{where}: {op.Settings ?? op.Kind.ToString()} has no ONNX form; export a model in evaluation mode built from supported ops.");
        }
    }

    /// <summary>The ONNX form of an activation on <paramref name="x"/>; opset 13 has no HardSwish, so it is x * HardSigmoid(x).</summary>
    public string Activation(string x, ActivationKind kind) => kind switch
    {
        ActivationKind.Identity => AddNode("Identity", [x]),
        ActivationKind.ReLU => AddNode("Relu", [x]),
        ActivationKind.ReLU6 => Clip(x, 0f, 6f),
        ActivationKind.Sigmoid => AddNode("Sigmoid", [x]),
        ActivationKind.Tanh => AddNode("Tanh", [x]),
        ActivationKind.SiLU => AddNode("Mul", [x, AddNode("Sigmoid", [x])]),
        ActivationKind.Hardswish when _opset >= 14 => AddNode("HardSwish", [x]),
        ActivationKind.Hardswish => AddNode("Mul", [x, AddNode("HardSigmoid", [x], Float("alpha", 1f / 6f), Float("beta", 0.5f))]),
        _ => throw new OnnxExportFailure($"activation {kind} has no ONNX form here."),
    };

    private string Clip(string x, float min, float max)
    {
        var lo = AddFloatConstant("clip_min", [min], []);
        var hi = AddFloatConstant("clip_max", [max], []);
        return AddNode("Clip", [x, lo.Name, hi.Name]);
    }

    private string Conv(TracedOp op, string where, TracedOp? normAfter)
    {
        var o = (Conv2dOptions)op.Settings!;
        if (o == default) o = Conv2dOptions.Default;
        var weight = op.Inputs[1]!;
        var w = weight.Shape;
        string x = ValueOf(op.Inputs[0]!, where).Name;
        var inputs = new List<string> { x };
        if (normAfter is null)
        {
            inputs.Add(ValueOf(weight, $"{where}.weight").Name);
            if (op.Inputs[2] is { } bias) inputs.Add(ValueOf(bias, $"{where}.bias").Name);
        }
        else
        {
            var (fw, fb) = AffineFolding.IntoOutputs(weight.ToArray(), op.Inputs[2]?.ToArray(), w[0], Affine(normAfter));
            string stem = _parameterNames.TryGetValue(weight, out var n) ? n[..^".weight".Length] : where;
            inputs.Add(AddFloatConstant(stem + ".weight_bn_folded", fw, w.ToArray()).Name);
            inputs.Add(AddFloatConstant(stem + ".bias_bn_folded", fb, [w[0]]).Name);
        }
        return AddNode("Conv", inputs,
            Ints("kernel_shape", w[2], w[3]),
            Ints("strides", o.StrideHeight, o.StrideWidth),
            Ints("pads", o.PadHeight, o.PadWidth, o.PadHeight, o.PadWidth),
            Ints("dilations", o.DilationHeight, o.DilationWidth),
            Int("group", o.Groups));
    }

    private string Gemm(TracedOp op, string where, TracedOp? normAfter, TracedOp? normBefore)
    {
        var weight = op.Inputs[1]!;
        int outF = weight.Shape[0], inF = weight.Shape[1];
        string x = ValueOf(op.Inputs[0]!, where).Name;
        if (normAfter is null && normBefore is null)
        {
            var plain = new List<string> { x, ValueOf(weight, $"{where}.weight").Name };
            if (op.Inputs[2] is { } bias) plain.Add(ValueOf(bias, $"{where}.bias").Name);
            return AddNode("Gemm", plain, Int("transB", 1));
        }
        float[] w = weight.ToArray();
        float[]? b = op.Inputs[2]?.ToArray();
        if (normBefore is not null) (w, b) = AffineFolding.IntoInputs(w, b, outF, inF, Affine(normBefore));
        if (normAfter is not null) (w, b) = AffineFolding.IntoOutputs(w, b, outF, Affine(normAfter));
        string stem = _parameterNames.TryGetValue(weight, out var n) ? n[..^".weight".Length] : where;
        return AddNode("Gemm", [x, AddFloatConstant(stem + ".weight_bn_folded", w, [outF, inF]).Name, AddFloatConstant(stem + ".bias_bn_folded", b!, [outF]).Name],
            Int("transB", 1));
    }

    private string BatchNormAsAffine(TracedOp op, string where)
    {
        var x = ValueOf(op.Inputs[0]!, where);
        var (scale, shift) = Affine(op);
        int[] dims = x.Shape.Length == 4 ? [scale.Length, 1, 1] : [scale.Length];
        var s = AddFloatConstant("bn_scale", scale, dims);
        var t = AddFloatConstant("bn_shift", shift, dims);
        return AddNode("Add", [AddNode("Mul", [x.Name, s.Name]), t.Name]);
    }

    /// <summary>The evaluation-mode map y = scale * x + shift of a traced batch norm.</summary>
    private static (float[] Scale, float[] Shift) Affine(TracedOp norm)
    {
        var settings = (TracedBatchNorm)norm.Settings!;
        if (settings.Training) throw new OnnxExportFailure("a batch norm runs in training mode; export needs evaluation mode.");
        return AffineFolding.ScaleShift(norm.Inputs[1]?.ToArray(), norm.Inputs[2]?.ToArray(), norm.Inputs[3]!.ToArray(), norm.Inputs[4]!.ToArray(), settings.Eps);
    }

    private string ChannelScale(Value x, Value scale, string where)
    {
        if (scale.Shape.Length == 4) return AddNode("Mul", [x.Name, scale.Name]);
        if (!scale.Batched) throw new OnnxExportFailure($"{where}: a per-image channel scale that does not come from the input cannot have a dynamic batch.");
        string target = AddInt64Constant("scale_shape", [0, scale.Shape[1], 1, 1]);
        return AddNode("Mul", [x.Name, AddNode("Reshape", [scale.Name, target])]);
    }

    private string Pool(bool max, string x, Pool2dOptions o)
    {
        var attributes = new List<OnnxAttribute>
        {
            Ints("kernel_shape", o.KernelHeight, o.KernelWidth),
            Ints("strides", o.StrideHeight, o.StrideWidth),
            Ints("pads", o.PadHeight, o.PadWidth, o.PadHeight, o.PadWidth),
            Int("ceil_mode", o.CeilMode ? 1 : 0),
        };
        if (!max) attributes.Add(Int("count_include_pad", o.CountIncludePad ? 1 : 0));
        return AddNode(max ? "MaxPool" : "AveragePool", [x], [.. attributes]);
    }

    /// <summary>
    /// PyTorch's adaptive pooling: global pooling for 1 x 1, a plain pool where the size divides evenly, and for average
    /// pooling in general a product with the constant bin-averaging matrix (bins [floor(i H / oh), ceil((i + 1) H / oh))).
    /// </summary>
    private string AdaptivePool(bool max, Value x, int oh, int ow, string where)
    {
        int h = x.Shape[2], w = x.Shape[3];
        if (oh == 1 && ow == 1) return AddNode(max ? "GlobalMaxPool" : "GlobalAveragePool", [x.Name]);
        if (h % oh == 0 && w % ow == 0)
            return Pool(max, x.Name, new Pool2dOptions(h / oh, w / ow, h / oh, w / ow));
        if (max) throw new OnnxExportFailure($"{where}: adaptive max pooling from {h}x{w} to {oh}x{ow} (uneven bins) has no ONNX form here.");
        var matrix = new float[h * w * oh * ow];
        for (int i = 0; i < oh; i++)
        {
            int r0 = i * h / oh, r1 = ((i + 1) * h + oh - 1) / oh;
            for (int j = 0; j < ow; j++)
            {
                int c0 = j * w / ow, c1 = ((j + 1) * w + ow - 1) / ow;
                float share = 1f / ((r1 - r0) * (c1 - c0));
                for (int r = r0; r < r1; r++)
                    for (int c = c0; c < c1; c++) matrix[((r * w) + c) * oh * ow + (i * ow) + j] = share;
            }
        }
        int channels = x.Shape[1];
        string flat = AddNode("Reshape", [x.Name, AddInt64Constant("pool_in_shape", [0, channels, h * w])]);
        string pooled = AddNode("MatMul", [flat, AddFloatConstant("adaptive_pool_bins", matrix, [h * w, oh * ow]).Name]);
        return AddNode("Reshape", [pooled, AddInt64Constant("pool_out_shape", [0, channels, oh, ow])]);
    }

    private string Reshape(Value x, int[] target, string where)
    {
        long[] shape = target.Select(d => (long)d).ToArray();
        if (x.Batched)
        {
            if (target.Length == 0 || target[0] != x.Shape[0])
                throw new OnnxExportFailure($"{where}: a reshape from [{string.Join(", ", x.Shape)}] to [{string.Join(", ", target)}] moves the batch axis, which a dynamic batch cannot follow.");
            shape[0] = 0;
        }
        return AddNode("Reshape", [x.Name, AddInt64Constant("shape", shape)]);
    }
}

using TransferKit.Autograd;
using TransferKit.Tensors;
using TransferKit.Weights.Onnx;

namespace TransferKit.Models.Onnx;

/// <summary>
/// Evaluates shape arithmetic on <see cref="OnnxConstant"/>s: at import when every input is known, and on each forward pass
/// for the small integer values that depend on the input's shape (a dynamic batch). None of it is differentiable or needs to be.
/// </summary>
internal static class OnnxConstantFolding
{
    private static readonly HashSet<string> Supported =
    [
        "Identity", "Constant", "Shape", "Gather", "Concat", "Unsqueeze", "Squeeze", "Reshape", "Flatten", "Cast", "Slice",
        "Add", "Sub", "Mul", "Div", "ConstantOfShape", "Transpose", "Range", "Floor", "Ceil", "Neg", "Sqrt",
    ];

    public static bool CanEvaluate(string op) => Supported.Contains(op);

    /// <summary>Runs <paramref name="node"/> on known inputs (null for omitted optional ones).</summary>
    /// <exception cref="ArgumentException">An attribute or input is invalid for the operator.</exception>
    public static OnnxConstant Evaluate(OnnxNode node, IReadOnlyList<OnnxConstant?> inputs, long opset)
    {
        OnnxConstant In(int i) => i < inputs.Count && inputs[i] is { } c ? c : throw new ArgumentException($"input {i} is missing.");
        var a = new OnnxAttributes(node);
        switch (node.OpType)
        {
            case "Identity": return In(0);
            case "Constant": return ConstantValue(a);
            case "Shape":
                var shape = In(0).Dims.Select(d => (long)d).ToArray();
                int start = (int)Math.Clamp(a.Int("start", 0) < 0 ? a.Int("start", 0) + shape.Length : a.Int("start", 0), 0, shape.Length);
                long endAttr = a.Int("end", shape.Length);
                int end = (int)Math.Clamp(endAttr < 0 ? endAttr + shape.Length : endAttr, 0, shape.Length);
                return OnnxConstant.Ints(shape[start..Math.Max(start, end)]);
            case "Gather": return Gather(In(0), In(1), a.Int("axis", 0));
            case "Concat": return Concat(inputs.Select((c, i) => c ?? In(i)).ToList(), a.Int("axis", 0));
            case "Unsqueeze": return In(0).WithDims(OnnxShapes.Unsqueeze(In(0).Dims, Axes(a, inputs, opset, 13)));
            case "Squeeze": return In(0).WithDims(OnnxShapes.Squeeze(In(0).Dims, Axes(a, inputs, opset, 13)));
            case "Reshape": return In(0).WithDims(OnnxShapes.ReshapeTarget(In(0).Dims, In(1).AsIntegers(), null));
            case "Flatten": return In(0).WithDims(OnnxShapes.Flatten(In(0).Dims, a.Int("axis", 1)));
            case "Cast": return Cast(In(0), (OnnxDataType)a.Int("to", 1));
            case "Slice": return Slice(node, a, inputs, opset);
            case "Add" or "Sub" or "Mul" or "Div": return Arithmetic(node.OpType, In(0), In(1));
            case "ConstantOfShape":
                var dims = In(0).AsIntegers().Select(d => checked((int)d)).ToArray();
                var fill = a.TensorOrNull("value") is { } v ? OnnxConstant.Of(v) : new OnnxConstant([1], null, [0f]);
                int count = new Shape(dims).ElementCount;
                return fill.IsFloat
                    ? new OnnxConstant(dims, null, Enumerable.Repeat(fill.Floats![0], count).ToArray())
                    : new OnnxConstant(dims, Enumerable.Repeat(fill.Integers![0], count).ToArray(), null);
            case "Transpose": return Transpose(In(0), a.Ints("perm"));
            case "Range":
                double from = In(0).At(0), limit = In(1).At(0), delta = In(2).At(0);
                int n = (int)Math.Max(Math.Ceiling((limit - from) / delta), 0);
                return In(0).IsFloat
                    ? new OnnxConstant([n], null, Enumerable.Range(0, n).Select(i => (float)(from + i * delta)).ToArray())
                    : new OnnxConstant([n], Enumerable.Range(0, n).Select(i => (long)(from + i * delta)).ToArray(), null);
            case "Floor": return Map(In(0), MathF.Floor);
            case "Ceil": return Map(In(0), MathF.Ceiling);
            case "Sqrt": return Map(In(0), MathF.Sqrt);
            case "Neg": return In(0).IsFloat ? Map(In(0), x => -x) : new OnnxConstant(In(0).Dims, In(0).Integers!.Select(x => -x).ToArray(), null);
            default: throw new ArgumentException($"operator {node.OpType} cannot be folded.");
        }
    }

    /// <summary>Axes of Squeeze/Unsqueeze: an attribute before <paramref name="inputSince"/>, the second input from it on.</summary>
    public static IReadOnlyList<long> Axes(OnnxAttributes a, IReadOnlyList<OnnxConstant?> inputs, long opset, long inputSince) =>
        opset >= inputSince && inputs.Count > 1 && inputs[1] is { } axes ? axes.AsIntegers() : a.Ints("axes");

    private static OnnxConstant ConstantValue(OnnxAttributes a)
    {
        if (a.TensorOrNull("value") is { } t) return OnnxConstant.Of(t);
        if (a.Has("value_float")) return new OnnxConstant([], null, [a.Float("value_float", 0)]);
        if (a.Has("value_floats")) { var f = a.Floats("value_floats").ToArray(); return new OnnxConstant([f.Length], null, f); }
        if (a.Has("value_int")) return new OnnxConstant([], [a.Int("value_int", 0)], null);
        if (a.Has("value_ints")) return OnnxConstant.Ints(a.Ints("value_ints").ToArray());
        throw new ArgumentException("Constant has no supported value attribute (value, value_float(s), value_int(s)).");
    }

    private static OnnxConstant Gather(OnnxConstant data, OnnxConstant indices, long axisAttr)
    {
        int axis = OnnxShapes.Axis(axisAttr, data.Dims.Length, "Gather");
        int outer = data.Dims.Take(axis).Aggregate(1, (x, y) => x * y), size = data.Dims[axis];
        int inner = data.Dims.Skip(axis + 1).Aggregate(1, (x, y) => x * y);
        var idx = indices.AsIntegers().Select(i => i < 0 ? i + size : i).ToArray();
        if (idx.Any(i => i < 0 || i >= size)) throw new ArgumentException($"Gather: an index is outside dimension {axis} of size {size}.");
        var picks = new List<int>();
        for (int o = 0; o < outer; o++)
            foreach (long i in idx)
                for (int k = 0; k < inner; k++) picks.Add((o * size + (int)i) * inner + k);
        var dims = data.Dims.Take(axis).Concat(indices.Dims).Concat(data.Dims.Skip(axis + 1)).ToArray();
        return data.Select(dims, picks.ToArray());
    }

    private static OnnxConstant Concat(IReadOnlyList<OnnxConstant> parts, long axisAttr)
    {
        var first = parts[0];
        int axis = OnnxShapes.Axis(axisAttr, first.Dims.Length, "Concat");
        int outer = first.Dims.Take(axis).Aggregate(1, (x, y) => x * y);
        bool isFloat = parts.Any(p => p.IsFloat);
        var ints = new List<long>();
        var floats = new List<float>();
        for (int o = 0; o < outer; o++)
            foreach (var p in parts)
            {
                int block = p.Dims.Skip(axis).Aggregate(1, (x, y) => x * y);
                if (isFloat) floats.AddRange(p.AsFloats().Skip(o * block).Take(block));
                else ints.AddRange(p.Integers!.Skip(o * block).Take(block));
            }
        var dims = (int[])first.Dims.Clone();
        dims[axis] = parts.Sum(p => p.Dims[axis]);
        return isFloat ? new OnnxConstant(dims, null, floats.ToArray()) : new OnnxConstant(dims, ints.ToArray(), null);
    }

    private static OnnxConstant Cast(OnnxConstant c, OnnxDataType to) => to switch
    {
        OnnxDataType.Float or OnnxDataType.Double or OnnxDataType.Float16 => new OnnxConstant(c.Dims, null, c.AsFloats()),
        OnnxDataType.Bool => new OnnxConstant(c.Dims, c.AsFloats().Select(f => f != 0 ? 1L : 0L).ToArray(), null),
        _ => new OnnxConstant(c.Dims, c.AsIntegers(), null),
    };

    private static OnnxConstant Slice(OnnxNode node, OnnxAttributes a, IReadOnlyList<OnnxConstant?> inputs, long opset)
    {
        var data = inputs[0] ?? throw new ArgumentException("Slice has no data input.");
        long[] starts, ends;
        long[]? axes, steps = null;
        if (opset < 10)
        {
            starts = a.Ints("starts").ToArray();
            ends = a.Ints("ends").ToArray();
            axes = a.Has("axes") ? a.Ints("axes").ToArray() : null;
        }
        else
        {
            starts = inputs[1]!.AsIntegers();
            ends = inputs[2]!.AsIntegers();
            axes = inputs.Count > 3 ? inputs[3]?.AsIntegers() : null;
            steps = inputs.Count > 4 ? inputs[4]?.AsIntegers() : null;
        }
        int rank = data.Dims.Length;
        var from = new int[rank];
        var step = Enumerable.Repeat(1, rank).ToArray();
        var count = (int[])data.Dims.Clone();
        for (int i = 0; i < starts.Length; i++)
        {
            int ax = OnnxShapes.Axis(axes?[i] ?? i, rank, node.OpType);
            long size = data.Dims[ax], st = steps?[i] ?? 1;
            if (st == 0) throw new ArgumentException("Slice step is 0.");
            long s = starts[i] < 0 ? starts[i] + size : starts[i], e = ends[i] < 0 ? ends[i] + size : ends[i];
            s = st > 0 ? Math.Clamp(s, 0, size) : Math.Clamp(s, 0, size - 1);
            e = st > 0 ? Math.Clamp(e, 0, size) : Math.Clamp(e, -1, size - 1);
            from[ax] = (int)s;
            step[ax] = (int)st;
            count[ax] = (int)Math.Max(0, st > 0 ? (e - s + st - 1) / st : (s - e - st - 1) / -st);
        }
        var picks = new List<int>();
        var strides = new int[rank];
        for (int d = rank - 1, acc = 1; d >= 0; acc *= data.Dims[d], d--) strides[d] = acc;
        void Walk(int d, int offset)
        {
            if (d == rank) { picks.Add(offset); return; }
            for (int k = 0; k < count[d]; k++) Walk(d + 1, offset + (from[d] + k * step[d]) * strides[d]);
        }
        Walk(0, 0);
        return data.Select(count, picks.ToArray());
    }

    private static OnnxConstant Arithmetic(string op, OnnxConstant x, OnnxConstant y)
    {
        var plan = Ops.BroadcastPlan.Create(new Shape(x.Dims), new Shape(y.Dims));
        var dims = plan.Output.ToArray();
        if (x.IsFloat || y.IsFloat)
        {
            float[] fx = x.AsFloats(), fy = y.AsFloats(), r = new float[plan.Output.ElementCount];
            int i = 0;
            plan.ForEach((ia, ib) => r[i++] = op switch { "Add" => fx[ia] + fy[ib], "Sub" => fx[ia] - fy[ib], "Mul" => fx[ia] * fy[ib], _ => fx[ia] / fy[ib] });
            return new OnnxConstant(dims, null, r);
        }
        long[] lx = x.Integers!, ly = y.Integers!, l = new long[plan.Output.ElementCount];
        int j = 0;
        plan.ForEach((ia, ib) => l[j++] = op switch
        {
            "Add" => lx[ia] + ly[ib],
            "Sub" => lx[ia] - ly[ib],
            "Mul" => lx[ia] * ly[ib],
            _ => ly[ib] == 0 ? throw new ArgumentException("integer division by zero.") : lx[ia] / ly[ib],
        });
        return new OnnxConstant(dims, l, null);
    }

    private static OnnxConstant Transpose(OnnxConstant c, IReadOnlyList<long> permAttr)
    {
        int rank = c.Dims.Length;
        var perm = permAttr.Count == 0 ? Enumerable.Range(0, rank).Reverse().ToArray() : permAttr.Select(p => (int)p).ToArray();
        var dims = perm.Select(p => c.Dims[p]).ToArray();
        var strides = new int[rank];
        for (int d = rank - 1, acc = 1; d >= 0; acc *= c.Dims[d], d--) strides[d] = acc;
        var picks = new List<int>();
        void Walk(int d, int offset)
        {
            if (d == rank) { picks.Add(offset); return; }
            for (int k = 0; k < dims[d]; k++) Walk(d + 1, offset + k * strides[perm[d]]);
        }
        Walk(0, 0);
        return c.Select(dims, picks.ToArray());
    }

    private static OnnxConstant Map(OnnxConstant c, Func<float, float> f) => new(c.Dims, null, c.AsFloats().Select(f).ToArray());
}

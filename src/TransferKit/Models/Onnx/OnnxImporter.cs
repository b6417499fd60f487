using TransferKit.Tensors;
using TransferKit.Weights.Onnx;

namespace TransferKit.Models.Onnx;

/// <summary>
/// Turns an <see cref="OnnxModel"/> into an <see cref="OnnxNetwork"/>: orders the nodes (refusing cycles), folds what is
/// known at import, compiles the tensor operators, and decides which initializers are parameters and which are buffers.
/// </summary>
internal sealed class OnnxImporter(OnnxModel model, OnnxImportOptions options)
{
    private enum Kind { Constant, Shape, Tensor }

    private readonly Dictionary<string, int> _slots = new();
    private readonly List<object?> _preset = new();
    private readonly List<Kind> _kinds = new();

    public OnnxNetwork Build()
    {
        var graph = model.Graph;
        var input = graph.Inputs.FirstOrDefault(i => !graph.Initializers.ContainsKey(i.Name))
            ?? throw Fail("the graph has no input that is not an initializer.");
        if (input.ElementType is not (OnnxDataType.Float or OnnxDataType.Undefined))
            throw Fail($"input '{input.Name}' has element type {input.ElementType}; only float images are supported.");
        int inputSlot = Slot(input.Name, Kind.Tensor, null);
        foreach (var (name, tensor) in graph.Initializers) Slot(name, Kind.Constant, OnnxConstant.Of(tensor));

        var steps = new List<OnnxStep>();
        int folded = 0;
        foreach (var node in TopologicalOrder(graph))
        {
            if (node.Domain is not ("" or "ai.onnx"))
                throw Fail($"operator '{node.OpType}' of domain '{node.Domain}' is not supported.", node);
            var inputKinds = node.Inputs.Select(n => n.Length == 0 ? Kind.Constant : _kinds[SlotOf(n, node)]).ToList();
            bool foldable = OnnxConstantFolding.CanEvaluate(node.OpType);
            Kind kind = node.OpType == "Shape"
                ? (inputKinds[0] == Kind.Tensor ? Kind.Shape : Kind.Constant)
                : inputKinds.Contains(Kind.Tensor) || !foldable ? Kind.Tensor
                : inputKinds.Contains(Kind.Shape) ? Kind.Shape : Kind.Constant;
            if (kind == Kind.Constant && foldable)
            {
                var values = node.Inputs.Select(n => n.Length == 0 ? null : (OnnxConstant?)_preset[_slots[n]]).ToList();
                Slot(node.Outputs[0], Kind.Constant, Guard(node, () => OnnxConstantFolding.Evaluate(node, values, model.Opset)));
                folded++;
                continue;
            }
            var kernel = kind == Kind.Tensor ? Guard(node, () => OnnxOperators.Compile(node, model.Opset)) : null;
            var inputs = node.Inputs.Select(n => n.Length == 0 ? -1 : _slots[n]).ToArray();
            steps.Add(new OnnxStep(node, inputs, Slot(node.Outputs[0], kind, null), kernel));
        }

        string outputName = options.Output ?? graph.Outputs.FirstOrDefault()?.Name ?? throw Fail("the graph declares no output.");
        if (!_slots.TryGetValue(outputName, out int outputSlot)) throw Fail($"output '{outputName}' is not computed by the graph.");
        CheckConsumedOutputs(steps);
        var (weights, owned) = MaterializeConstants(steps);
        return new OnnxNetwork(model, weights, options.Trainable, steps.ToArray(), _preset.ToArray(), inputSlot, outputSlot, input.Name,
            outputName, input.Dims, folded, owned, _slots);
    }

    /// <summary>
    /// Every constant a tensor operator reads as data becomes a tensor: float initializers become parameters (BatchNorm's
    /// mean and variance become buffers), other constants become tensors the network owns. The preset slot then holds the
    /// tensor, while shape arithmetic keeps reading the constant.
    /// </summary>
    private (List<(string, Tensor, bool)> Weights, List<Tensor> Owned) MaterializeConstants(List<OnnxStep> steps)
    {
        var weights = new List<(string, Tensor, bool)>();
        var owned = new List<Tensor>();
        var statistics = steps.Where(s => s.Node.OpType == "BatchNormalization").SelectMany(s => s.Inputs.Skip(3).Take(2)).ToHashSet();
        var dataSlots = steps.Where(s => s.Kernel is not null).SelectMany(s => s.Inputs.Select((slot, i) => (slot, i, s.Node)))
            .Where(x => x.slot >= 0 && _preset[x.slot] is OnnxConstant && IsTensorData(x.Node.OpType, x.i)).Select(x => x.slot).Distinct().ToList();
        var names = _slots.ToDictionary(kv => kv.Value, kv => kv.Key);
        foreach (int slot in dataSlots)
        {
            var c = (OnnxConstant)_preset[slot]!;
            var tensor = Tensor.FromSpan(c.AsFloats(), new Shape(c.Dims)).Persist();
            string name = names[slot];
            if (c.IsFloat && model.Graph.Initializers.ContainsKey(name)) weights.Add((name, tensor, statistics.Contains(slot)));
            else owned.Add(tensor);
            _preset[slot] = tensor;
        }
        return (weights, owned);
    }

    /// <summary>Whether input <paramref name="index"/> of <paramref name="op"/> is tensor data rather than a shape, axes or bounds.</summary>
    private static bool IsTensorData(string op, int index) => op switch
    {
        "Reshape" or "Squeeze" or "Unsqueeze" or "Clip" or "Pad" or "Dropout" => index == 0,
        _ => true,
    };

    private void CheckConsumedOutputs(List<OnnxStep> steps)
    {
        var secondary = steps.SelectMany(s => s.Node.Outputs.Skip(1).Where(o => o.Length > 0).Select(o => (o, s.Node))).ToList();
        var consumed = model.Graph.Nodes.SelectMany(n => n.Inputs).ToHashSet();
        foreach (var (output, node) in secondary)
            if (consumed.Contains(output)) throw Fail($"output '{output}' is used, but only an operator's first output is supported.", node);
    }

    private IEnumerable<OnnxNode> TopologicalOrder(OnnxGraph graph)
    {
        var producer = new Dictionary<string, int>();
        for (int i = 0; i < graph.Nodes.Count; i++)
            foreach (var o in graph.Nodes[i].Outputs.Where(o => o.Length > 0))
                if (!producer.TryAdd(o, i)) throw Fail($"value '{o}' is produced twice.", graph.Nodes[i]);
        var pending = new int[graph.Nodes.Count];
        var consumers = new List<int>[graph.Nodes.Count];
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            consumers[i] = new List<int>();
            foreach (var name in graph.Nodes[i].Inputs.Where(n => n.Length > 0).Distinct())
            {
                if (producer.TryGetValue(name, out int p)) pending[i]++;
                else if (!_slots.ContainsKey(name)) throw Fail($"input '{name}' is neither a graph input, an initializer nor a node output.", graph.Nodes[i]);
            }
        }
        for (int i = 0; i < graph.Nodes.Count; i++)
            foreach (var name in graph.Nodes[i].Inputs.Where(n => n.Length > 0).Distinct())
                if (producer.TryGetValue(name, out int p)) consumers[p].Add(i);
        var ready = new Queue<int>(Enumerable.Range(0, graph.Nodes.Count).Where(i => pending[i] == 0));
        int emitted = 0;
        while (ready.Count > 0)
        {
            int i = ready.Dequeue();
            emitted++;
            yield return graph.Nodes[i];
            foreach (int c in consumers[i])
                if (--pending[c] == 0) ready.Enqueue(c);
        }
        if (emitted < graph.Nodes.Count)
        {
            var stuck = graph.Nodes[Array.FindIndex(pending, p => p > 0)];
            throw Fail("the graph has a cycle through this node.", stuck);
        }
    }

    private int Slot(string name, Kind kind, object? value)
    {
        if (_slots.TryGetValue(name, out int existing))
        {
            _kinds[existing] = kind;
            _preset[existing] = value;
            return existing;
        }
        _slots[name] = _preset.Count;
        _preset.Add(value);
        _kinds.Add(kind);
        return _preset.Count - 1;
    }

    private int SlotOf(string name, OnnxNode node) =>
        _slots.TryGetValue(name, out int s) ? s : throw Fail($"input '{name}' is used before it is computed.", node);

    private T Guard<T>(OnnxNode node, Func<T> f)
    {
        try
        {
            return f();
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException or ShapeMismatchException)
        {
            throw new OnnxModelException(model.FilePath, e.Message, node.Name, node.OpType, e);
        }
    }

    private OnnxModelException Fail(string reason, OnnxNode? node = null) => new(model.FilePath, reason, node?.Name, node?.OpType);
}

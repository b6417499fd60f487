using TransferKit.Autograd;
using TransferKit.Tensors;

namespace TransferKit.Weights.Onnx.Export;

/// <summary>
/// Turns an <see cref="OpTrace"/> of one evaluation forward pass into ONNX nodes and initializers. Tensors the trace did
/// not produce (parameters, buffers, folded weights) become initializers; every value that descends from the graph input
/// keeps its first axis as the dynamic batch, so shapes are written with 0 ("copy") there. Batch norms are folded into the
/// convolution or linear layer next to them where they are its only link, else written as a per-channel multiply-add.
/// </summary>
internal sealed partial class TracedGraphBuilder
{
    private readonly List<OnnxNode> _nodes = new();
    private readonly Dictionary<string, OnnxTensor> _initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<Tensor, Value> _values = new(ReferenceEqualityComparer.Instance);
    private readonly IReadOnlyDictionary<Tensor, string> _parameterNames;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly int _opset;

    /// <param name="opset">Opset of the default domain (13 to 18).</param>
    /// <param name="parameterNames">State-dict names of the network's tensors, used to name initializers.</param>
    public TracedGraphBuilder(int opset, IReadOnlyDictionary<Tensor, string> parameterNames)
    {
        _opset = opset;
        _parameterNames = parameterNames;
    }

    /// <summary>A graph value: its name, its shape in the trace, and whether axis 0 is the dynamic batch.</summary>
    public sealed record Value(string Name, int[] Shape, bool Batched);

    /// <summary>The nodes emitted so far, in order.</summary>
    public IReadOnlyList<OnnxNode> Nodes => _nodes;

    /// <summary>The initializers emitted so far.</summary>
    public IReadOnlyDictionary<string, OnnxTensor> Initializers => _initializers;

    /// <summary>Makes <paramref name="tensor"/> (the traced input) stand for the graph value <paramref name="value"/>.</summary>
    public void Bind(Tensor tensor, Value value) => _values[tensor] = value;

    /// <summary>The graph value of a traced tensor, or an initializer holding its current contents.</summary>
    /// <exception cref="OnnxExportFailure">The tensor was disposed before it could be read.</exception>
    public Value ValueOf(Tensor tensor, string hint)
    {
        if (_values.TryGetValue(tensor, out var v)) return v;
        if (tensor.IsDisposed)
            throw new OnnxExportFailure($"{hint} reads a tensor that was computed outside the traced ops and is gone; the network must build its forward pass from TransferKit.Autograd.Ops only.");
        string name = _parameterNames.TryGetValue(tensor, out var p) ? p : hint;
        v = AddFloatConstant(name, tensor.ToArray(), tensor.Shape.ToArray());
        _values[tensor] = v;
        return v;
    }

    /// <summary>A new float initializer; the name is made unique.</summary>
    public Value AddFloatConstant(string name, float[] data, int[] dims)
    {
        string unique = Unique(name);
        _initializers[unique] = new OnnxTensor(unique, OnnxDataType.Float, dims.Select(d => (long)d).ToArray(), data, null);
        return new Value(unique, dims, false);
    }

    /// <summary>A new int64 initializer (shapes, pads, indices).</summary>
    public string AddInt64Constant(string name, long[] data, long[]? dims = null)
    {
        string unique = Unique(name);
        _initializers[unique] = new OnnxTensor(unique, OnnxDataType.Int64, dims ?? [data.Length], null, data);
        return unique;
    }

    /// <summary>Appends a node with one output and returns the output's name.</summary>
    public string AddNode(string opType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        string name = Unique($"{opType}_{_nodes.Count}");
        string output = name;
        _nodes.Add(new OnnxNode(name, opType, "", inputs.ToArray(), [output], attributes.ToDictionary(a => a.Name)));
        return output;
    }

    /// <summary>Appends a node whose output is named <paramref name="output"/> (a graph output).</summary>
    public void AddNamedNode(string opType, IReadOnlyList<string> inputs, string output, params OnnxAttribute[] attributes)
    {
        _names.Add(output);
        _nodes.Add(new OnnxNode(Unique(opType + "_" + output), opType, "", inputs.ToArray(), [output], attributes.ToDictionary(a => a.Name)));
    }

    private string Unique(string name)
    {
        string candidate = name;
        for (int i = 1; !_names.Add(candidate); i++) candidate = $"{name}_{i}";
        return candidate;
    }

    public static OnnxAttribute Int(string name, long value) => new(name, OnnxAttributeType.Int, 0, value, "", null, [], []);

    public static OnnxAttribute Float(string name, float value) => new(name, OnnxAttributeType.Float, value, 0, "", null, [], []);

    public static OnnxAttribute Ints(string name, params long[] values) => new(name, OnnxAttributeType.Ints, 0, 0, "", null, [], values);
}

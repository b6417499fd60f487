using TransferKit.Tensors;

namespace TransferKit.Models.Onnx;

/// <summary>
/// A run of an imported graph's nodes between two points where a single tensor crosses: one freezable unit of an
/// <see cref="OnnxBackbone"/>. It owns (registers) the weights its nodes read, under their ONNX names, so freezing the unit
/// freezes them, and its own train/eval mode decides how its BatchNorm and Dropout nodes run.
/// </summary>
public sealed class OnnxSegment : OnnxParameterTree
{
    private readonly OnnxNetwork _graph;
    private readonly int _inputSlot;
    private readonly int _from;
    private readonly int _to;
    private readonly int _outputSlot;

    internal OnnxSegment(OnnxNetwork graph, int inputSlot, int from, int to, int outputSlot, IReadOnlyDictionary<Tensor, (string Name, bool Buffer)> weights, HashSet<Tensor> taken)
    {
        _graph = graph;
        _inputSlot = inputSlot;
        _from = from;
        _to = to;
        _outputSlot = outputSlot;
        for (int i = from; i < to; i++)
            foreach (int slot in graph.Step(i).Inputs)
                if (slot >= 0 && graph.PresetOf(slot) is Tensor t && weights.TryGetValue(t, out var w) && taken.Add(t))
                    Register(w.Name, t, w.Buffer, t.RequiresGrad);
    }

    /// <summary>The graph whose nodes this segment runs.</summary>
    internal OnnxNetwork Graph => _graph;

    /// <summary>The name of the value this segment ends with.</summary>
    public string OutputName => _graph.NameOf(_outputSlot);

    /// <summary>Runs the segment's nodes on the tensor that crosses into it.</summary>
    public override Tensor Forward(Tensor input) => _graph.ForwardRange(input, _inputSlot, _from, _to, _outputSlot, IsTraining);
}

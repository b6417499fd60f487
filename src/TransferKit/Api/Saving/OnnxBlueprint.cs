using TransferKit.Models;
using TransferKit.Models.Onnx;
using TransferKit.Weights.Onnx;

namespace TransferKit.Api;

/// <summary>
/// The imported ONNX graph of a model trained on an <see cref="OnnxBackbone"/>, as stored in its metadata so the model loads
/// without the original <c>.onnx</c> file: the nodes the feature map depends on, with their attributes and constants, and
/// the initializers they read. The data of every initializer the backbone registers as a weight is left out (its
/// <see cref="OnnxTensor.Floats"/> is null): those values are the model file's tensors.
/// </summary>
public sealed record OnnxBlueprint
{
    /// <summary>The ONNX IR version of the imported file.</summary>
    public required long IrVersion { get; init; }

    /// <summary>Operator set versions by domain, as in the imported file.</summary>
    public required IReadOnlyDictionary<string, long> OpsetImports { get; init; }

    /// <summary>The graph up to <see cref="FeatureOutput"/>, whose single declared output it is.</summary>
    public required OnnxGraph Graph { get; init; }

    /// <summary>The value the head attaches to (<see cref="OnnxBackboneOptions.FeatureOutput"/>).</summary>
    public required string FeatureOutput { get; init; }

    /// <summary>The input size the feature map's channels are probed at, in pixels.</summary>
    public required int InputSize { get; init; }

    /// <summary>Describes <paramref name="backbone"/> for saving.</summary>
    /// <param name="backbone">The trained backbone.</param>
    /// <param name="inputSize">The training input size, in pixels.</param>
    public static OnnxBlueprint Of(OnnxBackbone backbone, int inputSize)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        var model = backbone.Graph.Model;
        var graph = model.Graph;
        var nodes = NodesFeeding(graph, backbone.FeatureOutput);
        var read = nodes.SelectMany(n => n.Inputs).ToHashSet(StringComparer.Ordinal);
        var weights = backbone.Units.SelectMany(u => u.Modules)
            .SelectMany(m => m.NamedParameters().Select(kv => kv.Key).Concat(m.NamedBuffers().Select(kv => kv.Key)))
            .ToHashSet(StringComparer.Ordinal);
        var initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in graph.Initializers)
        {
            if (!read.Contains(name)) continue;
            initializers[name] = tensor.IsFloat && weights.Contains(name) ? tensor with { Floats = null } : tensor;
        }
        var featureInfo = graph.Outputs.FirstOrDefault(o => o.Name == backbone.FeatureOutput)
            ?? new OnnxValueInfo(backbone.FeatureOutput, OnnxDataType.Float, [], []);
        return new OnnxBlueprint
        {
            IrVersion = model.IrVersion,
            OpsetImports = model.OpsetImports,
            Graph = graph with
            {
                Nodes = nodes,
                Initializers = initializers,
                Inputs = graph.Inputs.Where(i => !graph.Initializers.ContainsKey(i.Name) || initializers.ContainsKey(i.Name)).ToList(),
                Outputs = [featureInfo],
            },
            FeatureOutput = backbone.FeatureOutput,
            InputSize = inputSize,
        };
    }

    /// <summary>How many values the left-out initializers hold (in double: damaged dims may multiply past long).</summary>
    public double LeftOutValues() =>
        Graph.Initializers.Values.Where(t => t.Floats is null && t.Integers is null).Sum(t => t.Dims.Aggregate(1.0, (a, d) => a * d));

    /// <summary>Rebuilds the backbone with the left-out initializers zero, ready for the model file's tensors.</summary>
    /// <param name="classes">Classes of its new head.</param>
    /// <exception cref="OnnxModelException">The graph cannot be imported.</exception>
    public OnnxBackbone Build(int classes)
    {
        var filled = Graph.Initializers.ToDictionary(kv => kv.Key,
            kv => kv.Value.Floats is null && kv.Value.Integers is null ? kv.Value with { Floats = new float[kv.Value.ElementCount] } : kv.Value,
            StringComparer.Ordinal);
        var model = new OnnxModel("<model file>", IrVersion, "", OpsetImports, Graph with { Initializers = filled }, new Dictionary<string, string>());
        var options = new OnnxBackboneOptions
        {
            FeatureOutput = FeatureOutput,
            Preprocessing = new PreprocessingSpec(InputSize, InputSize, ResizeInterpolation.Bilinear, NormalizationSpec.ImageNet),
        };
        return OnnxBackbone.Create(model, options, classes, 0);
    }

    /// <summary>The nodes <paramref name="output"/> depends on, in file order (the file's own classifier is not among them).</summary>
    private static List<OnnxNode> NodesFeeding(OnnxGraph graph, string output)
    {
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Nodes.Count; i++)
            foreach (var o in graph.Nodes[i].Outputs) producer[o] = i;
        var needed = new bool[graph.Nodes.Count];
        var pending = new Stack<string>([output]);
        while (pending.TryPop(out var name))
        {
            if (!producer.TryGetValue(name, out int i) || needed[i]) continue;
            needed[i] = true;
            foreach (var input in graph.Nodes[i].Inputs) if (input.Length > 0) pending.Push(input);
        }
        return graph.Nodes.Where((_, i) => needed[i]).ToList();
    }
}

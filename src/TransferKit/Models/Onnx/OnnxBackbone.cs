using TransferKit.Autograd;
using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Weights.Onnx;

namespace TransferKit.Models.Onnx;

/// <summary>
/// An imported ONNX CNN as a <see cref="ConvNet"/>: the graph up to its feature map, cut into freezable units where a single
/// tensor crosses after a residual join or a pool (ResNet blocks, MobileNet residual blocks, DenseNet transitions; the first
/// unit is <c>stem</c>, then <c>block1</c>, <c>block2</c> ...), followed by a new linear head <c>fc</c> on globally pooled
/// features. Parameter keys are the unit name, a dot, and the ONNX initializer name.
/// </summary>
public sealed class OnnxBackbone : ConvNet
{
    private readonly OnnxNetwork _graph;
    private readonly List<NetworkUnit> _units = new();

    private OnnxBackbone(OnnxNetwork graph, int featureSlot, int featureChannels, int classes, Random random)
    {
        _graph = graph;
        FeatureChannels = featureChannels;
        FeatureOutput = graph.NameOf(featureSlot);
        var weights = new Dictionary<Tensor, (string, bool)>(ReferenceEqualityComparer.Instance);
        foreach (var (k, p) in graph.NamedParameters()) weights[p.Value] = (k, false);
        foreach (var (k, b) in graph.NamedBuffers()) weights[b] = (k, true);
        int end = graph.ProducerOf(featureSlot) + 1;
        var bounds = new List<(int Step, int Slot)> { (0, graph.InputSlot) };
        bounds.AddRange(graph.UnitCuts(end).Where(c => c.Slot != featureSlot));
        bounds.Add((end, featureSlot));
        var taken = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        for (int u = 0; u + 1 < bounds.Count; u++)
        {
            string name = u == 0 ? "stem" : "block" + u;
            var segment = AddModule(name, new OnnxSegment(graph, bounds[u].Slot, bounds[u].Step, bounds[u + 1].Step, bounds[u + 1].Slot, weights, taken));
            _units.Add(new NetworkUnit(name, [segment]));
        }
        AddModule(HeadName, new Linear(featureChannels, classes, random));
    }

    /// <inheritdoc />
    public override IReadOnlyList<NetworkUnit> Units => _units;

    /// <inheritdoc />
    public override int FeatureChannels { get; }

    /// <inheritdoc />
    public override string HeadName => "fc";

    /// <summary>The name of the graph value the head attaches to (the feature map).</summary>
    public string FeatureOutput { get; }

    /// <summary>The imported graph (all of it, including the file's own classifier that the backbone does not run).</summary>
    public OnnxNetwork Graph => _graph;

    /// <summary>Imported graphs fold nothing: their BatchNorm nodes are not paired with modules.</summary>
    public override IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> ConvBatchNormPairs() => [];

    /// <summary>Global average pooling of a 4-D feature map (2-D features pass through), then the head.</summary>
    public override Tensor ForwardHead(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return features.Rank == 4 ? HeadOfPooled(Ops.AdaptiveAvgPool2d(features)) : HeadOfFlat(Ops.Reshape(features, features.Shape));
    }

    /// <summary>
    /// Reads an ONNX CNN and describes it as an architecture for <c>ImageClassifier.Create().UseArchitecture(...)</c>: each
    /// <see cref="ArchitectureInfo.Create"/> imports the file's weights (pretrained, trainable) with a new head of the requested
    /// class count. Accuracy and FLOP figures are unknown (NaN and 0).
    /// </summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="options">Name, feature output and preprocessing; null for the defaults.</param>
    /// <exception cref="OnnxModelException">The file cannot be imported, or no feature map is found.</exception>
    public static ArchitectureInfo Load(string path, OnnxBackboneOptions? options = null)
    {
        options ??= new OnnxBackboneOptions();
        var model = OnnxModel.Load(path);
        using var probe = Create(model, options, 1, 0);
        return new ArchitectureInfo
        {
            Name = options.Name ?? Path.GetFileNameWithoutExtension(path),
            Family = "ONNX",
            Create = (classes, seed) => Create(model, options, classes, seed),
            Preprocessing = options.Preprocessing,
            ParameterCount = probe.ParameterCount() - probe.Head.ParameterCount() + probe.FeatureChannels * 1000L + 1000,
            ParameterCountWithoutHead = probe.ParameterCount() - probe.Head.ParameterCount(),
            GigaFlops = 0,
            Top1 = double.NaN,
            Top5 = double.NaN,
            AccuracySource = $"unknown (imported from {Path.GetFileName(path)})",
            FeatureDimension = probe.FeatureChannels,
            HeadName = probe.HeadName,
            Units = probe.Units.Select(u => u.Name).ToList(),
        };
    }

    /// <summary>Imports <paramref name="model"/> as a backbone with a <paramref name="classes"/>-way head initialised from <paramref name="seed"/>.</summary>
    /// <exception cref="OnnxModelException">No feature map is found, or the named one is not computed from the image.</exception>
    public static OnnxBackbone Create(OnnxModel model, OnnxBackboneOptions options, int classes, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var graph = OnnxNetwork.Import(model);
        try
        {
            int slot = FeatureSlot(graph, options.FeatureOutput);
            int channels = ProbeChannels(graph, slot, options.Preprocessing.InputSize);
            return new OnnxBackbone(graph, slot, channels, classes, new Random(seed));
        }
        catch
        {
            graph.Dispose();
            throw;
        }
    }

    private static int FeatureSlot(OnnxNetwork graph, string? name)
    {
        if (name is not null)
        {
            int slot = graph.SlotOf(name);
            if (slot < 0 || graph.ProducerOf(slot) < 0)
                throw new OnnxModelException(graph.Model.FilePath, $"feature output '{name}' is not computed by the graph.");
            return slot;
        }
        for (int i = graph.StepCountInternal - 1; i >= 0; i--)
            if (graph.Step(i).Node.OpType is "GlobalAveragePool" or "AveragePool" && graph.Step(i).Inputs[0] >= 0)
                return graph.Step(i).Inputs[0];
        throw new OnnxModelException(graph.Model.FilePath, "no global average pool found; name the feature map in OnnxBackboneOptions.FeatureOutput.");
    }

    private static int ProbeChannels(OnnxNetwork graph, int slot, int size)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        int channels = graph.InputDims.Count > 1 && graph.InputDims[1] is { } c ? (int)c : 3;
        int h = graph.InputDims.Count > 2 && graph.InputDims[2] is { } hh ? (int)hh : size;
        int w = graph.InputDims.Count > 3 && graph.InputDims[3] is { } ww ? (int)ww : size;
        using var x = Tensor.Zeros(1, channels, h, w);
        graph.Eval();
        var features = graph.ForwardRange(x, graph.InputSlot, 0, graph.ProducerOf(slot) + 1, slot, training: false);
        return features.Shape[1];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _graph.Dispose();
    }
}

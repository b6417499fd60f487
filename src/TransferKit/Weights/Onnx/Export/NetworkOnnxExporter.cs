using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Tensors;

namespace TransferKit.Weights.Onnx.Export;

/// <summary>
/// Builds the ONNX model of a network: a traced evaluation forward pass (batch 2, so the batch axis can be told from
/// size-1 axes; a second pass on other values proves the constants do not depend on the input), the optional input
/// normalisation in front, and the outputs "logits" and "probabilities" behind.
/// </summary>
internal static class NetworkOnnxExporter
{
    public const string InputName = "input";
    public const string LogitsName = "logits";
    public const string ProbabilitiesName = "probabilities";
    private const int TraceBatch = 2;

    /// <param name="network">The network; it is put in evaluation mode.</param>
    /// <param name="inputSize">Height and width of the input.</param>
    /// <param name="normalization">Applied in the graph to 0-255 RGB input, or null when the input is normalised already.</param>
    /// <param name="sigmoid">The network has one logit read through a sigmoid; probabilities are then [1 - p, p].</param>
    /// <param name="opset">Default-domain opset, 13 to 18.</param>
    /// <param name="metadata">metadata_props of the model.</param>
    /// <exception cref="OnnxExportFailure">The network runs an op with no ONNX form here.</exception>
    public static OnnxModel Build(ConvNet network, int inputSize, NormalizationSpec? normalization, bool sigmoid, int opset,
        IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Eval();
        var names = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, parameter) in network.NamedParameters()) names.TryAdd(parameter.Value, name);
        foreach (var (name, buffer) in network.NamedBuffers()) names.TryAdd(buffer, name);
        var builder = new TracedGraphBuilder(opset, names);

        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var (x, logits, ops) = Trace(network, inputSize, seed: 17);
        var (probeInput, _, probe) = Trace(network, inputSize, seed: 29);
        RequireSameConstants(ops, x, probe, probeInput);
        int[] inputShape = [TraceBatch, 3, inputSize, inputSize];
        var graphInput = new TracedGraphBuilder.Value(InputName, inputShape, true);
        builder.Bind(x, normalization is null ? graphInput : Normalize(builder, graphInput, normalization));
        if (logits.Rank != 2) throw new OnnxExportFailure($"the network returns {logits.Shape}, not [N, classes].");
        builder.Emit(ops, [logits]);
        var logitsValue = builder.ValueOf(logits, "logits");
        if (!logitsValue.Batched) throw new OnnxExportFailure("the network's output does not depend on its input.");
        builder.AddNamedNode("Identity", [logitsValue.Name], LogitsName);
        string scores = logitsValue.Name;
        if (sigmoid)
        {
            // softmax([0, z]) = [1 - sigmoid(z), sigmoid(z)]: TransferKit's two scores for a one-logit head, with a dynamic batch.
            string zero = builder.AddNode("Sub", [scores, scores]);
            scores = builder.AddNode("Concat", [zero, scores], TracedGraphBuilder.Int("axis", 1));
        }
        builder.AddNamedNode("Softmax", [scores], ProbabilitiesName, TracedGraphBuilder.Int("axis", 1));

        int classes = sigmoid ? 2 : logits.Shape[1];
        var graph = new OnnxGraph("transferkit", builder.Nodes.ToArray(), builder.Initializers,
            [Info(InputName, 3, inputSize, inputSize)],
            [Info(ProbabilitiesName, classes), Info(LogitsName, logits.Shape[1])]);
        return new OnnxModel("", opset >= 14 ? 8 : 7, "TransferKit", new Dictionary<string, long> { [""] = opset }, graph, metadata);
    }

    private static (Tensor Input, Tensor Output, IReadOnlyList<TracedOp> Ops) Trace(ConvNet network, int inputSize, int seed)
    {
        var random = new Random(seed);
        var sample = new float[TraceBatch * 3 * inputSize * inputSize];
        for (int i = 0; i < sample.Length; i++) sample[i] = (float)(random.NextDouble() * 2 - 1);
        var x = Tensor.FromSpan(sample, new Shape(TraceBatch, 3, inputSize, inputSize));
        using var trace = OpTrace.Begin();
        var y = network.Forward(x);
        return (x, y, trace.Ops);
    }

    /// <summary>
    /// Two passes on different inputs must run the same ops on the same constants. A tensor that no traced op produced
    /// but that differs between the passes was computed from the input outside <c>Ops</c>; writing it as a constant
    /// would freeze one image's values into the graph, so that is refused.
    /// </summary>
    private static void RequireSameConstants(IReadOnlyList<TracedOp> first, Tensor firstInput, IReadOnlyList<TracedOp> second, Tensor secondInput)
    {
        if (first.Count != second.Count)
            throw new OnnxExportFailure($"the network runs {first.Count} ops on one input and {second.Count} on another; its forward pass depends on the data.");
        var producedFirst = new HashSet<Tensor>(first.Select(o => o.Output), ReferenceEqualityComparer.Instance);
        var producedSecond = new HashSet<Tensor>(second.Select(o => o.Output), ReferenceEqualityComparer.Instance);
        for (int i = 0; i < first.Count; i++)
        {
            var (a, b) = (first[i], second[i]);
            if (a.Kind != b.Kind || a.Inputs.Count != b.Inputs.Count)
                throw new OnnxExportFailure($"op {i} is {a.Kind} on one input and {b.Kind} on another; the forward pass depends on the data.");
            for (int k = 0; k < a.Inputs.Count; k++)
            {
                if (a.Inputs[k] is not { } ta || producedFirst.Contains(ta) || ReferenceEquals(ta, b.Inputs[k])) continue;
                var tb = b.Inputs[k];
                if (ReferenceEquals(ta, firstInput) && ReferenceEquals(tb, secondInput)) continue;
                bool same = tb is not null && !producedSecond.Contains(tb) && !ta.IsDisposed && !tb.IsDisposed
                    && ta.Shape == tb.Shape && ta.ReadOnlySpan.SequenceEqual(tb.ReadOnlySpan);
                if (!same)
                    throw new OnnxExportFailure($"op {i} ({a.Kind}) reads, as input {k}, a tensor computed from the image outside TransferKit.Autograd.Ops; such a step has no graph form.");
            }
        }
    }

    private static OnnxValueInfo Info(string name, params int[] rest) =>
        new(name, OnnxDataType.Float, [null, .. rest.Select(d => (long?)d)], ["batch", .. rest.Select(_ => "")]);

    /// <summary>
    /// ((pixel / scale) - mean) / std per output channel, channels taken in the model's order: the arithmetic of
    /// <c>PixelNormalizer</c> step for step, so the graph sees the same floats as TransferKit's own prediction.
    /// </summary>
    private static TracedGraphBuilder.Value Normalize(TracedGraphBuilder builder, TracedGraphBuilder.Value rgb, NormalizationSpec spec)
    {
        string x = rgb.Name;
        if (spec.ChannelOrder == ChannelOrder.Bgr)
            x = builder.AddNode("Gather", [x, builder.AddInt64Constant("bgr_order", [2, 1, 0])], TracedGraphBuilder.Int("axis", 1));
        var scale = builder.AddFloatConstant("pixel_scale", [spec.Scale], []);
        var mean = builder.AddFloatConstant("pixel_mean", spec.Mean.ToArray(), [1, 3, 1, 1]);
        var std = builder.AddFloatConstant("pixel_std", spec.Std.ToArray(), [1, 3, 1, 1]);
        string scaled = builder.AddNode("Div", [x, scale.Name]);
        string centred = builder.AddNode("Sub", [scaled, mean.Name]);
        return rgb with { Name = builder.AddNode("Div", [centred, std.Name]) };
    }
}

namespace TransferKit.Weights.Onnx;

/// <summary>The computation graph of an ONNX model, as stored (nodes in file order).</summary>
/// <param name="Name">The graph's name.</param>
/// <param name="Nodes">The nodes in file order (the ONNX spec requires topological order; the importer checks).</param>
/// <param name="Initializers">Constant tensors by name: the weights.</param>
/// <param name="Inputs">Declared inputs, including initializers in older files (IR version below 4).</param>
/// <param name="Outputs">Declared outputs.</param>
public sealed record OnnxGraph(string Name, IReadOnlyList<OnnxNode> Nodes, IReadOnlyDictionary<string, OnnxTensor> Initializers,
    IReadOnlyList<OnnxValueInfo> Inputs, IReadOnlyList<OnnxValueInfo> Outputs);

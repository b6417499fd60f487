using TransferKit.Weights.Onnx;

namespace TransferKit.Models.Onnx;

/// <summary>Typed access to a node's attributes with ONNX's defaults.</summary>
internal readonly struct OnnxAttributes(OnnxNode node)
{
    public bool Has(string name) => node.Attributes.ContainsKey(name);

    public long Int(string name, long fallback) => node.Attributes.TryGetValue(name, out var a) ? a.Int : fallback;

    public float Float(string name, float fallback) => node.Attributes.TryGetValue(name, out var a) ? a.Float : fallback;

    public string String(string name, string fallback) => node.Attributes.TryGetValue(name, out var a) ? a.String : fallback;

    public IReadOnlyList<long> Ints(string name) => node.Attributes.TryGetValue(name, out var a) ? a.Ints : [];

    public IReadOnlyList<float> Floats(string name) => node.Attributes.TryGetValue(name, out var a) ? a.Floats : [];

    public OnnxTensor? TensorOrNull(string name) => node.Attributes.TryGetValue(name, out var a) ? a.Tensor : null;
}

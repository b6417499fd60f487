using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models.Onnx;

/// <summary>
/// Holds imported initializers under their ONNX names: a dotted name such as <c>layer1.0.conv1.weight</c> becomes nested
/// children, so <see cref="Module.NamedParameters"/> and <see cref="Module.StateDict"/> give back exactly the ONNX names
/// (torchvision's keys for a PyTorch export). It computes nothing itself.
/// </summary>
public class OnnxParameterTree : Module
{
    private readonly Dictionary<string, OnnxParameterTree> _children = new();

    /// <summary>Creates an empty tree.</summary>
    protected internal OnnxParameterTree()
    {
    }

    /// <summary>Not a layer: a tree node only owns tensors (<see cref="OnnxNetwork"/> overrides this).</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override Tensor Forward(Tensor input) => throw new NotSupportedException("OnnxParameterTree holds weights; run the OnnxNetwork instead.");

    /// <summary>Registers <paramref name="value"/> under its ONNX name, or under a sanitized one when the name cannot nest.</summary>
    internal void Register(string onnxName, Tensor value, bool buffer, bool trainable)
    {
        string name = Accepts(onnxName) ? onnxName : onnxName.Replace('.', '_');
        for (int k = 1; !Accepts(name); k++) name = onnxName.Replace('.', '_') + "_" + k;
        Add(name, value, buffer);
        if (!buffer) value.RequiresGrad = trainable;
    }

    private Tensor Add(string dottedName, Tensor value, bool buffer)
    {
        var parts = dottedName.Split('.');
        var node = this;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            if (!node._children.TryGetValue(parts[i], out var child))
                child = node._children[parts[i]] = node.AddModule(parts[i], new OnnxParameterTree());
            node = child;
        }
        return buffer ? node.AddBuffer(parts[^1], value) : node.AddParameter(parts[^1], value).Value;
    }

    /// <summary>Whether <paramref name="dottedName"/> can be registered as given: no empty segment and no clash with what is there.</summary>
    private bool Accepts(string dottedName)
    {
        var parts = dottedName.Split('.');
        if (parts.Any(p => p.Length == 0)) return false;
        var node = this;
        for (int i = 0; i < parts.Length; i++)
        {
            bool last = i == parts.Length - 1;
            bool isChild = node._children.TryGetValue(parts[i], out var child);
            bool isLeaf = node.NamedParameters().Any(kv => kv.Key == parts[i]) || node.NamedBuffers().Any(kv => kv.Key == parts[i]);
            if (last) return !isChild && !isLeaf;
            if (isLeaf) return false;
            if (!isChild) return true;
            node = child!;
        }
        return true;
    }
}

namespace TransferKit.Weights.Onnx;

/// <summary>Kinds of ONNX node attributes (<c>AttributeProto.AttributeType</c>).</summary>
public enum OnnxAttributeType
{
    /// <summary>Not set.</summary>
    Undefined = 0,
    /// <summary>One float.</summary>
    Float = 1,
    /// <summary>One integer.</summary>
    Int = 2,
    /// <summary>One string.</summary>
    String = 3,
    /// <summary>One tensor.</summary>
    Tensor = 4,
    /// <summary>A subgraph (control flow; not supported by the importer).</summary>
    Graph = 5,
    /// <summary>A list of floats.</summary>
    Floats = 6,
    /// <summary>A list of integers.</summary>
    Ints = 7,
    /// <summary>A list of strings.</summary>
    Strings = 8,
    /// <summary>A list of tensors.</summary>
    Tensors = 9,
    /// <summary>A list of subgraphs.</summary>
    Graphs = 10,
    /// <summary>A sparse tensor.</summary>
    SparseTensor = 11,
}

/// <summary>One attribute of an ONNX node; only the member matching <see cref="Type"/> is meaningful.</summary>
/// <param name="Name">Attribute name, e.g. <c>kernel_shape</c>.</param>
/// <param name="Type">Which value it holds.</param>
/// <param name="Float">The value of a float attribute.</param>
/// <param name="Int">The value of an int attribute.</param>
/// <param name="String">The value of a string attribute (UTF-8 decoded).</param>
/// <param name="Tensor">The value of a tensor attribute.</param>
/// <param name="Floats">The values of a floats attribute.</param>
/// <param name="Ints">The values of an ints attribute.</param>
public sealed record OnnxAttribute(string Name, OnnxAttributeType Type, float Float, long Int, string String, OnnxTensor? Tensor,
    IReadOnlyList<float> Floats, IReadOnlyList<long> Ints);

namespace TransferKit.Weights.Onnx;

/// <summary>A graph input or output: its name, element type and shape, where each dimension is a number or symbolic.</summary>
/// <param name="Name">The value's name.</param>
/// <param name="ElementType">Its element type (Undefined when the file gives no tensor type).</param>
/// <param name="Dims">Each dimension's size, or null for a symbolic or unknown dimension (a dynamic batch).</param>
/// <param name="DimNames">Each dimension's symbolic name ("" when it is a number or unnamed).</param>
public sealed record OnnxValueInfo(string Name, OnnxDataType ElementType, IReadOnlyList<long?> Dims, IReadOnlyList<string> DimNames);

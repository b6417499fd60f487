namespace TransferKit.Weights.Onnx;

/// <summary>
/// A constant tensor of an ONNX model (an initializer, a <c>Constant</c> node's value, a tensor attribute), decoded from
/// <c>raw_data</c>, the typed fields or external data. Floating-point types are held in <see cref="Floats"/>, integer and
/// boolean types in <see cref="Integers"/>.
/// </summary>
/// <param name="Name">The tensor's name in the graph ("" for attribute values).</param>
/// <param name="DataType">The element type in the file.</param>
/// <param name="Dims">The dimensions, outermost first (empty for a scalar).</param>
/// <param name="Floats">The values of a float, double or half tensor, converted to float; else null.</param>
/// <param name="Integers">The values of an integer or boolean tensor, widened to long; else null.</param>
public sealed record OnnxTensor(string Name, OnnxDataType DataType, long[] Dims, float[]? Floats, long[]? Integers)
{
    /// <summary>Number of elements (the product of <see cref="Dims"/>).</summary>
    public long ElementCount => Dims.Aggregate(1L, (a, d) => a * d);

    /// <summary>Whether the values are floating point (held in <see cref="Floats"/>).</summary>
    public bool IsFloat => Floats is not null;
}

namespace TransferKit.Weights.Onnx;

/// <summary>Element types of ONNX tensors (<c>TensorProto.DataType</c>, numbers as in onnx.proto).</summary>
public enum OnnxDataType
{
    /// <summary>Not set.</summary>
    Undefined = 0,
    /// <summary>32-bit float.</summary>
    Float = 1,
    /// <summary>Unsigned byte.</summary>
    UInt8 = 2,
    /// <summary>Signed byte.</summary>
    Int8 = 3,
    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16 = 4,
    /// <summary>Signed 16-bit integer.</summary>
    Int16 = 5,
    /// <summary>Signed 32-bit integer.</summary>
    Int32 = 6,
    /// <summary>Signed 64-bit integer (shapes, indices).</summary>
    Int64 = 7,
    /// <summary>Strings (not supported as tensor data).</summary>
    String = 8,
    /// <summary>Booleans, one byte each.</summary>
    Bool = 9,
    /// <summary>IEEE half.</summary>
    Float16 = 10,
    /// <summary>64-bit float.</summary>
    Double = 11,
    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32 = 12,
    /// <summary>Unsigned 64-bit integer.</summary>
    UInt64 = 13,
}

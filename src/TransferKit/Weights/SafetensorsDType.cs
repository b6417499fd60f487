namespace TransferKit.Weights;

/// <summary>
/// The element types of a safetensors file that TransferKit reads. Names match the format's <c>dtype</c>
/// strings; every type is stored little-endian.
/// </summary>
public enum SafetensorsDType
{
    /// <summary>IEEE 754 double, 8 bytes.</summary>
    F64,

    /// <summary>IEEE 754 single, 4 bytes.</summary>
    F32,

    /// <summary>IEEE 754 half, 2 bytes.</summary>
    F16,

    /// <summary>bfloat16 (the upper half of a float32), 2 bytes.</summary>
    BF16,

    /// <summary>Signed 64-bit integer.</summary>
    I64,

    /// <summary>Signed 32-bit integer.</summary>
    I32,

    /// <summary>Signed 16-bit integer.</summary>
    I16,

    /// <summary>Signed 8-bit integer.</summary>
    I8,

    /// <summary>Unsigned 8-bit integer.</summary>
    U8,

    /// <summary>Boolean, one byte per element (0 or 1).</summary>
    BOOL,
}

/// <summary>Sizes and names of <see cref="SafetensorsDType"/> values.</summary>
internal static class SafetensorsDTypeInfo
{
    /// <summary>Bytes per element.</summary>
    public static int SizeOf(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 or SafetensorsDType.I64 => 8,
        SafetensorsDType.F32 or SafetensorsDType.I32 => 4,
        SafetensorsDType.F16 or SafetensorsDType.BF16 or SafetensorsDType.I16 => 2,
        SafetensorsDType.I8 or SafetensorsDType.U8 or SafetensorsDType.BOOL => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype."),
    };

    /// <summary>Parses the header's dtype string (exact, case-sensitive as the format writes it).</summary>
    public static bool TryParse(string text, out SafetensorsDType dtype)
    {
        dtype = text switch
        {
            "F64" => SafetensorsDType.F64,
            "F32" => SafetensorsDType.F32,
            "F16" => SafetensorsDType.F16,
            "BF16" => SafetensorsDType.BF16,
            "I64" => SafetensorsDType.I64,
            "I32" => SafetensorsDType.I32,
            "I16" => SafetensorsDType.I16,
            "I8" => SafetensorsDType.I8,
            "U8" => SafetensorsDType.U8,
            "BOOL" => SafetensorsDType.BOOL,
            _ => (SafetensorsDType)(-1),
        };
        return (int)dtype >= 0;
    }

    /// <summary>Whether the type holds integers (or booleans) rather than floating-point numbers.</summary>
    public static bool IsInteger(SafetensorsDType dtype) =>
        dtype is SafetensorsDType.I64 or SafetensorsDType.I32 or SafetensorsDType.I16 or SafetensorsDType.I8
            or SafetensorsDType.U8 or SafetensorsDType.BOOL;
}

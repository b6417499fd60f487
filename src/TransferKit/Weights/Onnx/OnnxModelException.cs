namespace TransferKit.Weights.Onnx;

/// <summary>
/// Raised when an ONNX model cannot be read or imported: malformed protobuf, a limit exceeded (absurd dimension, too
/// deep nesting), an external-data location that escapes the model's folder, a cycle, or an operator or attribute that
/// the importer does not support. The message is <c>"&lt;path&gt;: [node 'name' (Op): ]&lt;reason&gt;"</c>.
/// </summary>
public sealed class OnnxModelException : TransferKitException
{
    /// <summary>Creates the error for <paramref name="filePath"/>, optionally naming the node, with the reason.</summary>
    public OnnxModelException(string filePath, string reason, string? nodeName = null, string? opType = null, Exception? innerException = null)
        : base(Format(filePath, reason, nodeName, opType), innerException!)
    {
        FilePath = filePath;
        Reason = reason;
        NodeName = nodeName;
        OpType = opType;
    }

    /// <summary>The model file (or a description of the source when it was read from memory).</summary>
    public string FilePath { get; }

    /// <summary>Why it was rejected, without the path or node.</summary>
    public string Reason { get; }

    /// <summary>The graph node at fault, or null when the fault is not in one node.</summary>
    public string? NodeName { get; }

    /// <summary>The operator type of <see cref="NodeName"/> (e.g. <c>Conv</c>), or null.</summary>
    public string? OpType { get; }

    private static string Format(string filePath, string reason, string? nodeName, string? opType) =>
        nodeName is null && opType is null ? $"{filePath}: {reason}" : $"{filePath}: node '{nodeName}' ({opType}): {reason}";
}

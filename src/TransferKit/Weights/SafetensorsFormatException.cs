namespace TransferKit.Weights;

/// <summary>
/// Raised when a safetensors file is malformed: truncated, with a bad header, an unknown dtype, or tensor byte
/// ranges that do not tile the data buffer. The message is <c>"&lt;path&gt;: &lt;reason&gt;"</c>.
/// </summary>
public sealed class SafetensorsFormatException : TransferKitException
{
    /// <summary>Creates the error for <paramref name="filePath"/> with the reason the file was rejected.</summary>
    public SafetensorsFormatException(string filePath, string reason)
        : base($"{filePath}: {reason}")
    {
        FilePath = filePath;
        Reason = reason;
    }

    /// <summary>Creates the error wrapping the lower-level cause (such as a JSON parse error).</summary>
    public SafetensorsFormatException(string filePath, string reason, Exception innerException)
        : base($"{filePath}: {reason}", innerException)
    {
        FilePath = filePath;
        Reason = reason;
    }

    /// <summary>The file that was rejected.</summary>
    public string FilePath { get; }

    /// <summary>Why it was rejected, without the path.</summary>
    public string Reason { get; }
}

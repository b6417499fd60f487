namespace TransferKit.Api;

/// <summary>
/// An ONNX export failed: the network runs an op with no ONNX form here (the message names the op), or the file cannot be
/// written (the message names the path). Nothing is left at the target path when this is thrown, and an earlier file
/// there is kept.
/// </summary>
public sealed class OnnxExportException : TransferKitException
{
    /// <summary>Creates the exception for <paramref name="path"/> with <paramref name="reason"/>.</summary>
    public OnnxExportException(string path, string reason)
        : base($"ONNX export to '{path}' failed: {reason}")
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>Creates the exception with the failure that caused it.</summary>
    public OnnxExportException(string path, string reason, Exception innerException)
        : base($"ONNX export to '{path}' failed: {reason}", innerException)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The target .onnx path.</summary>
    public string Path { get; }

    /// <summary>Why the export failed.</summary>
    public string Reason { get; }
}

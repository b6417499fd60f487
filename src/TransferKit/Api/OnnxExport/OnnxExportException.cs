namespace TransferKit.Api;

/// <summary>
/// An ONNX export failed: the network runs an op with no ONNX form here (the message names the op), or the file cannot be
/// written (the message names the path). Nothing is left at the target path when this is thrown.
/// </summary>
public sealed class OnnxExportException : TransferKitException
{
    /// <summary>Creates the exception.</summary>
    public OnnxExportException(string path, string reason, Exception? innerException = null)
        : base($"ONNX export to '{path}' failed: {reason}", innerException ?? new InvalidOperationException(reason))
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The target .onnx path.</summary>
    public string Path { get; }

    /// <summary>Why the export failed.</summary>
    public string Reason { get; }
}

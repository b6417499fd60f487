namespace TransferKit.Api;

/// <summary>A model file could not be saved or loaded; the message names the file and the reason. Nothing half-loaded is returned.</summary>
public sealed class ModelFileException : TransferKitException
{
    /// <summary>Creates the error.</summary>
    public ModelFileException(string path, string reason, Exception? inner = null)
        : base($"{path}: {reason}", inner ?? new InvalidOperationException(reason))
    {
        FilePath = path;
        Reason = reason;
    }

    /// <summary>The model file.</summary>
    public string FilePath { get; }

    /// <summary>Why it failed.</summary>
    public string Reason { get; }
}

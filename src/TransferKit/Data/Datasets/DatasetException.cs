namespace TransferKit.Data.Datasets;

/// <summary>
/// A dataset cannot be opened: a folder or file is missing, the layout is wrong (no class folders, a file name without a
/// class prefix), or a binary file has the wrong size or content. The message reads "&lt;path&gt;: &lt;reason&gt;".
/// </summary>
public sealed class DatasetException : TransferKitException
{
    /// <summary>Creates the error for <paramref name="path"/>.</summary>
    /// <param name="path">The file or folder at fault.</param>
    /// <param name="reason">What is wrong with it, without the path.</param>
    /// <param name="innerException">The lower-level cause, if any.</param>
    public DatasetException(string path, string reason, Exception? innerException = null)
        : base($"{path}: {reason}", innerException!)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The file or folder at fault.</summary>
    public string Path { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Reason { get; }
}

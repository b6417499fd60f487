namespace TransferKit.Reporting;

/// <summary>
/// A training report could not be written; the message names the file and the reason. The target file is left as it
/// was (the report goes to a temporary file first), and the temporary file is removed.
/// </summary>
public sealed class ReportException : TransferKitException
{
    /// <summary>Creates the error.</summary>
    /// <param name="path">The report file that was to be written.</param>
    /// <param name="reason">Why it failed.</param>
    /// <param name="inner">The underlying I/O error, if any.</param>
    public ReportException(string path, string reason, Exception? inner = null)
        : base($"{path}: {reason}", inner ?? new IOException(reason))
    {
        FilePath = path;
        Reason = reason;
    }

    /// <summary>The report file.</summary>
    public string FilePath { get; }

    /// <summary>Why it failed.</summary>
    public string Reason { get; }
}

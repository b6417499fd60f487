namespace TransferKit.Training.Checkpoints;

/// <summary>A training checkpoint could not be read or does not fit the run resuming from it; the message names the file and the reason.</summary>
public sealed class CheckpointException : TransferKitException
{
    /// <summary>Creates the error.</summary>
    public CheckpointException(string path, string reason, Exception? inner = null)
        : base($"{path}: {reason}", inner ?? new InvalidOperationException(reason))
    {
        FilePath = path;
        Reason = reason;
    }

    /// <summary>The checkpoint file.</summary>
    public string FilePath { get; }

    /// <summary>Why it failed.</summary>
    public string Reason { get; }
}

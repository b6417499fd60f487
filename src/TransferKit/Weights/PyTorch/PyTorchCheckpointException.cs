namespace TransferKit.Weights;

/// <summary>
/// Raised when a PyTorch zip checkpoint (<c>torch.save</c>'s format since 1.6) is refused: its pickle names a global
/// that a <c>state_dict</c> does not need (<see cref="Global"/>, e.g. <c>posix.system</c>), uses an opcode outside the
/// interpreted subset, or describes storages and tensors that do not fit the archive (sizes, offsets, strides,
/// missing entries, compressed entries). Nothing in the file is ever executed; the message is
/// <c>"&lt;path&gt;: &lt;reason&gt;"</c>.
/// </summary>
public sealed class PyTorchCheckpointException : TransferKitException
{
    /// <summary>Creates the error for <paramref name="filePath"/>.</summary>
    /// <param name="filePath">The refused file.</param>
    /// <param name="reason">Why, without the path.</param>
    /// <param name="global">The refused pickle global as <c>module.name</c>, or null when the reason is not a global.</param>
    public PyTorchCheckpointException(string filePath, string reason, string? global = null)
        : base($"{filePath}: {reason}")
    {
        FilePath = filePath;
        Reason = reason;
        Global = global;
    }

    /// <summary>The refused file.</summary>
    public string FilePath { get; }

    /// <summary>Why it was refused, without the path.</summary>
    public string Reason { get; }

    /// <summary>The pickle global that caused the refusal (<c>module.name</c>), or null when another check failed.</summary>
    public string? Global { get; }
}

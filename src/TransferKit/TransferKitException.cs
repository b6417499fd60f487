namespace TransferKit;

/// <summary>
/// Base type of every error TransferKit raises on purpose. Catch this to handle all library failures;
/// the derived types name the file, tensor or option at fault.
/// </summary>
public class TransferKitException : Exception
{
    /// <summary>Creates an error with a message that names what failed and why.</summary>
    public TransferKitException(string message) : base(message) { }

    /// <summary>Creates an error that wraps the lower-level cause.</summary>
    public TransferKitException(string message, Exception innerException) : base(message, innerException) { }
}

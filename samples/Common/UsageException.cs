namespace TransferKit.Samples;

/// <summary>A command-line mistake; its message is printed as the one error line.</summary>
public sealed class UsageException(string message) : Exception(message);

namespace TransferKit.Cli;

/// <summary>
/// The command line asks for something impossible (an option value that does not fit, a combination that makes no
/// sense): reported as one line and exit code <see cref="ExitCodes.Usage"/>.
/// </summary>
internal sealed class UsageException : Exception
{
    /// <summary>Creates the error; <paramref name="message"/> names the option and the reason.</summary>
    public UsageException(string message, Exception? innerException = null) : base(message, innerException) { }
}

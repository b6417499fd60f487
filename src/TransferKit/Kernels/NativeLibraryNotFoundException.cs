namespace TransferKit.Kernels;

/// <summary>
/// Raised when a native library TransferKit needs (CBLAS for GEMM, libjpeg-turbo for decoding) cannot be
/// loaded. The message names every file tried and why each failed, and the command that installs it.
/// </summary>
public sealed class NativeLibraryNotFoundException : TransferKitException
{
    /// <summary>Creates the error.</summary>
    /// <param name="purpose">What the library is for, e.g. "CBLAS (GEMM)".</param>
    /// <param name="libraryNames">The file names tried, in order.</param>
    /// <param name="installHint">The command that installs the library, e.g. "apt-get install -y libopenblas0-pthread".</param>
    /// <param name="details">Why each candidate failed.</param>
    public NativeLibraryNotFoundException(string purpose, IReadOnlyList<string> libraryNames, string installHint, string details)
        : base($"{purpose}: no usable native library ({details}). Install it with: {installHint}")
    {
        LibraryNames = libraryNames;
        InstallHint = installHint;
    }

    /// <summary>The library file names that were tried, in order.</summary>
    public IReadOnlyList<string> LibraryNames { get; }

    /// <summary>The shell command that installs the missing library.</summary>
    public string InstallHint { get; }
}

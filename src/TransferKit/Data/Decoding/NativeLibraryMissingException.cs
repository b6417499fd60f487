namespace TransferKit.Data.Decoding;

/// <summary>
/// Raised when a native library TransferKit needs cannot be loaded. The message names the library and the
/// package that installs it.
/// </summary>
public sealed class NativeLibraryMissingException : TransferKitException
{
    /// <summary>Creates the error for <paramref name="libraryName"/> with an install hint.</summary>
    /// <param name="libraryName">The file name that was looked for, e.g. libturbojpeg.so.0.</param>
    /// <param name="installHint">How to install it, e.g. "install libturbojpeg0 (apt-get install -y libturbojpeg0)".</param>
    /// <param name="innerException">The loader's error, if any.</param>
    public NativeLibraryMissingException(string libraryName, string installHint, Exception? innerException = null)
        : base($"{libraryName} could not be loaded: {installHint}.", innerException!)
    {
        LibraryName = libraryName;
        InstallHint = installHint;
    }

    /// <summary>The library file name that was looked for.</summary>
    public string LibraryName { get; }

    /// <summary>How to install the library.</summary>
    public string InstallHint { get; }
}

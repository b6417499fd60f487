namespace TransferKit.Weights;

/// <summary>
/// Raised when a weights file's SHA-256 differs from the expected one. A freshly downloaded file is deleted before this
/// is thrown; the message names the source, both hashes and what to check.
/// </summary>
public sealed class WeightsChecksumException : TransferKitException
{
    /// <summary>Creates the error for <paramref name="location"/> (a URL or a local path).</summary>
    public WeightsChecksumException(string location, string expectedSha256, string actualSha256)
        : base($"{location}: SHA-256 mismatch: expected {expectedSha256}, got {actualSha256}. The file is corrupt, was replaced "
            + "upstream, or the descriptor's hash is wrong; a downloaded copy was discarded.")
    {
        Location = location;
        ExpectedSha256 = expectedSha256;
        ActualSha256 = actualSha256;
    }

    /// <summary>The URL or local path whose content was hashed.</summary>
    public string Location { get; }

    /// <summary>The hash the descriptor promised (lowercase hex).</summary>
    public string ExpectedSha256 { get; }

    /// <summary>The hash of the bytes received (lowercase hex).</summary>
    public string ActualSha256 { get; }
}

namespace TransferKit.Data.Decoding;

/// <summary>
/// Raised when an image cannot be decoded. The message reads "&lt;source&gt;: &lt;reason&gt;", and
/// <see cref="Failure"/> says which kind of problem it was, so a dataset loader can skip and report bad files.
/// </summary>
public sealed class ImageDecodeException : TransferKitException
{
    /// <summary>Creates the error for the image named <paramref name="sourceName"/>.</summary>
    /// <param name="sourceName">The file path, or the name the caller gave to an in-memory buffer.</param>
    /// <param name="failure">The kind of failure.</param>
    /// <param name="reason">A short human explanation, without the source name.</param>
    /// <param name="innerException">The lower-level cause, if any.</param>
    public ImageDecodeException(string sourceName, ImageDecodeFailure failure, string reason, Exception? innerException = null)
        : base($"{sourceName}: {reason}", innerException!)
    {
        // Exception(string, Exception?) accepts a null inner exception; the base signature is just not annotated that way.
        SourceName = sourceName;
        Failure = failure;
        Reason = reason;
        // Exception.Source normally names the throwing assembly; for an image error the useful "source" is the image.
        Source = sourceName;
    }

    /// <summary>The file path, or the name given with an in-memory buffer. <see cref="Exception.Source"/> holds the same value.</summary>
    public string SourceName { get; }

    /// <summary>The kind of failure.</summary>
    public ImageDecodeFailure Failure { get; }

    /// <summary>The explanation without the source name.</summary>
    public string Reason { get; }
}

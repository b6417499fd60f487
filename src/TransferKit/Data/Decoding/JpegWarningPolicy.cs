namespace TransferKit.Data.Decoding;

/// <summary>
/// Decides what a libjpeg warning means. libjpeg keeps decoding through most problems and fills what it could not read
/// with grey, reporting only a warning (TurboJPEG 2.x returns -1 with TJERR_WARNING). Worse, TurboJPEG keeps the text of
/// the first warning only (libjpeg formats a warning message only while its warning count is zero), so a harmless first
/// warning hides a later truncation. Every warning therefore fails the decode, in every pass, with one exception that
/// provably hides nothing: stray bytes before the end-of-image marker (FF D9). libjpeg meets those only when it reads
/// that marker, after the last scan was read without any warning, and reads no input after it.
/// </summary>
/// <remarks>There is no lenient mode: a warning that spoils nothing (an unknown JFIF revision or Adobe transform, a bad
/// ICC chunk, junk between header segments) fails too, because its text would mask anything after it.</remarks>
internal static class JpegWarningPolicy
{
    /// <summary>Returns the failure a warning means, or null for the one warning whose pixels can be trusted.</summary>
    /// <param name="message">The text from tjGetErrorStr2 (libjpeg's message, possibly prefixed by the function name).</param>
    public static ImageDecodeFailure? Classify(string message)
    {
        if (Contains(message, "Premature end of JPEG file") || Contains(message, "premature end of data segment"))
        {
            return ImageDecodeFailure.Truncated;
        }

        return Contains(message, "extraneous bytes before marker 0xd9") ? null : ImageDecodeFailure.Undecodable;
    }

    /// <summary>The failure kind for a fatal TurboJPEG error message.</summary>
    public static ImageDecodeFailure ClassifyFatal(string message)
    {
        if (Contains(message, "Unsupported") || Contains(message, "not supported") || Contains(message, "Requested features are incompatible"))
        {
            return ImageDecodeFailure.Unsupported;
        }

        return Contains(message, "Premature end") || Contains(message, "no image") ? ImageDecodeFailure.Truncated : ImageDecodeFailure.Undecodable;
    }

    /// <summary>
    /// True for tjDecompressHeader3's refusal to name the chroma subsampling (TJSAMP) of sampling factors it has no
    /// constant for, such as CMYK whose K is subsampled. Decompression itself does not need that name.
    /// </summary>
    public static bool IsUnknownSubsampling(string message) => Contains(message, "Could not determine subsampling type");

    private static bool Contains(string message, string part) => message.Contains(part, StringComparison.OrdinalIgnoreCase);
}

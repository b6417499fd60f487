namespace TransferKit.Data.Decoding;

/// <summary>
/// Decides which libjpeg warnings spoil an image. libjpeg keeps decoding through most problems and fills what it
/// could not read with grey, reporting only a warning; TurboJPEG 2.x then returns -1 with TJERR_WARNING. Truncation and
/// corrupt entropy-coded data would give silently wrong pixels, so they fail. Cosmetic warnings (stray bytes before a
/// marker, an unknown JFIF revision or Adobe transform, a bad ICC chunk) leave the pixels intact and are accepted,
/// as Pillow and browsers accept them.
/// </summary>
internal static class JpegWarningPolicy
{
    /// <summary>Returns the failure a warning means, or null when the decoded pixels can be trusted.</summary>
    /// <param name="message">The text from tjGetErrorStr2 (libjpeg's message, possibly prefixed by the function name).</param>
    public static ImageDecodeFailure? Classify(string message)
    {
        if (Contains(message, "Premature end of JPEG file") || Contains(message, "premature end of data segment"))
        {
            return ImageDecodeFailure.Truncated;
        }

        if (Contains(message, "Corrupt JPEG data"))
        {
            // "N extraneous bytes before marker 0xXX": junk between segments, typically before EOI; pixels are complete.
            return Contains(message, "extraneous bytes before marker") || Contains(message, "bad ICC marker")
                ? null
                : ImageDecodeFailure.Undecodable;
        }

        return null;
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

    private static bool Contains(string message, string part) => message.Contains(part, StringComparison.OrdinalIgnoreCase);
}

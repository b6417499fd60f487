namespace TransferKit.Data.Decoding;

/// <summary>
/// Limits and behaviour for <see cref="ImageDecoder"/>. The defaults suit photo datasets; every guard is checked
/// from the header before any large allocation, so a hostile or broken file fails fast. Call <see cref="Validate"/>
/// (the decoder does) to reject impossible settings.
/// </summary>
public sealed record ImageDecodeOptions
{
    /// <summary>The options used when a caller passes none.</summary>
    public static ImageDecodeOptions Default { get; } = new();

    /// <summary>
    /// Largest declared width * height accepted (default 100,000,000, e.g. 10000 x 10000). Larger images fail with
    /// <see cref="ImageDecodeFailure.TooLarge"/> before their pixels are allocated. Must be at least 1.
    /// </summary>
    public long MaxPixels { get; init; } = 100_000_000;

    /// <summary>Largest file or buffer accepted, in bytes (default 256 MiB). Must be at least 1.</summary>
    public long MaxFileBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Most JPEG scans (SOS markers) accepted (default 64; a normal progressive JPEG has about 10). A small progressive
    /// JPEG with thousands of scans can keep libjpeg busy for a minute (libjpeg-turbo issue 284), so the scans are
    /// counted before decoding. Must be at least 1.
    /// </summary>
    public int MaxProgressiveScans { get; init; } = 64;

    /// <summary>
    /// Whether to rotate or flip JPEG pixels as the EXIF Orientation tag (0x0112) says (default true), so images
    /// come out the way viewers show them.
    /// </summary>
    public bool ApplyExifOrientation { get; init; } = true;

    /// <summary>
    /// The smallest width and height the caller will need, or null (default) for full resolution. When set, a JPEG is
    /// decoded with the strongest TurboJPEG DCT reduction (1/8 ... 7/8) that keeps both scaled sides at or above this
    /// value, which is several times faster for large photos that will be resized anyway. Other formats ignore it.
    /// Images already smaller than this are decoded at full size. Must be at least 1 when set.
    /// </summary>
    public int? MinimumSize { get; init; }

    /// <summary>
    /// Most memory one decode may use, in bytes (default 256 MiB). It counts the encoded data, the decoded RGB image
    /// (3 bytes per pixel) and every intermediate: PNG's compressed stream and two rows, GIF's index plane, JPEG CMYK
    /// samples, libjpeg's whole-image coefficient buffer for progressive or multi-scan JPEGs (2 bytes per sample) and the
    /// copy EXIF rotation makes. The decoder estimates this from the header and refuses larger images with
    /// <see cref="ImageDecodeFailure.TooLarge"/> before allocating. With the default, any file of up to 1 MB decodes within
    /// 256 MiB. Plain RGB images up to about 85 megapixels fit (about 40 megapixels for rotated or progressive JPEGs);
    /// raise it for larger photos, or set <see cref="MinimumSize"/>, which lets JPEGs decode smaller. Must be at least 1.
    /// </summary>
    public long MaxDecodeBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Most bytes of decoded RGB per byte of encoded file (default 4096). A few dozen bytes of BMP run-length codes, a GIF
    /// whose logical screen dwarfs its frame, or a PNG header over almost no data can claim an image of hundreds of
    /// megabytes that no data describes (a decompression bomb); such files fail with <see cref="ImageDecodeFailure.TooLarge"/>
    /// before allocating. Real images stay far below: photos expand 5 to 50 times, flat graphics a few hundred, and
    /// deflate itself cannot exceed 1032 times. Outputs up to 1 MiB are never refused by this ratio. Must be at least 1.
    /// </summary>
    public double MaxExpansionRatio { get; init; } = 4096;

    /// <summary>Shares decode memory between the threads of one loader; null outside a loader.</summary>
    internal DecodeMemoryGate? MemoryGate { get; init; }

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the parameter name is the property's.</exception>
    public void Validate()
    {
        if (MaxPixels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPixels), MaxPixels, "MaxPixels must be at least 1.");
        }

        if (MaxFileBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFileBytes), MaxFileBytes, "MaxFileBytes must be at least 1.");
        }

        if (MaxProgressiveScans < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxProgressiveScans), MaxProgressiveScans, "MaxProgressiveScans must be at least 1.");
        }

        if (MaxDecodeBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDecodeBytes), MaxDecodeBytes, "MaxDecodeBytes must be at least 1.");
        }

        if (!(MaxExpansionRatio >= 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxExpansionRatio), MaxExpansionRatio, "MaxExpansionRatio must be at least 1 (and not NaN).");
        }

        if (MinimumSize is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumSize), MinimumSize, "MinimumSize must be at least 1 when set.");
        }
    }
}

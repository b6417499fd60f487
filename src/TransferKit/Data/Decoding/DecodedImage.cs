namespace TransferKit.Data.Decoding;

/// <summary>
/// An 8-bit RGB image: <see cref="Pixels"/> holds <see cref="Height"/> rows of <see cref="Width"/> pixels,
/// each pixel three bytes R, G, B (HWC, row-major, no row padding).
/// </summary>
public sealed class DecodedImage
{
    /// <summary>Number of channels in <see cref="Pixels"/>: always 3 (R, G, B).</summary>
    public const int Channels = 3;

    /// <summary>Wraps <paramref name="pixels"/> (not copied) as a full-resolution image.</summary>
    /// <param name="width">Columns, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="pixels">Exactly width * height * 3 bytes, RGB interleaved, row-major.</param>
    /// <param name="sourceFormat">The format the pixels were decoded from.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> has the wrong length.</exception>
    public DecodedImage(int width, int height, byte[] pixels, ImageFormat sourceFormat = ImageFormat.Unknown)
        : this(width, height, pixels, sourceFormat, width, height)
    {
    }

    /// <summary>Wraps <paramref name="pixels"/> (not copied) for an image decoded at reduced scale.</summary>
    /// <param name="width">Columns, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="pixels">Exactly width * height * 3 bytes, RGB interleaved, row-major.</param>
    /// <param name="sourceFormat">The format the pixels were decoded from.</param>
    /// <param name="originalWidth">Columns of the full-resolution image, at least 1.</param>
    /// <param name="originalHeight">Rows of the full-resolution image, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> has the wrong length.</exception>
    public DecodedImage(int width, int height, byte[] pixels, ImageFormat sourceFormat, int originalWidth, int originalHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(originalWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(originalHeight, 1);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.LongLength != (long)width * height * Channels)
        {
            throw new ArgumentException(
                $"Expected {(long)width * height * Channels} bytes for {width}x{height} RGB, got {pixels.LongLength}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
        SourceFormat = sourceFormat;
        OriginalWidth = originalWidth;
        OriginalHeight = originalHeight;
    }

    /// <summary>Columns of <see cref="Pixels"/>, after any DCT scaling and EXIF rotation.</summary>
    public int Width { get; }

    /// <summary>Rows of <see cref="Pixels"/>, after any DCT scaling and EXIF rotation.</summary>
    public int Height { get; }

    /// <summary>RGB bytes, HWC, row-major: the pixel at (x, y) starts at (y * Width + x) * 3.</summary>
    public byte[] Pixels { get; }

    /// <summary>The format the pixels came from (sniffed from content).</summary>
    public ImageFormat SourceFormat { get; }

    /// <summary>
    /// Columns of the full-resolution image before DCT scaling (<see cref="ImageDecodeOptions.MinimumSize"/>), in the
    /// same orientation as <see cref="Pixels"/> (so Width / OriginalWidth is the scale factor). Equals Width when not scaled.
    /// </summary>
    public int OriginalWidth { get; }

    /// <summary>Rows of the full-resolution image before DCT scaling, in the same orientation as <see cref="Pixels"/>.</summary>
    public int OriginalHeight { get; }

    /// <summary>True when the decoder reduced the image (JPEG DCT scaling).</summary>
    public bool IsScaled => Width != OriginalWidth || Height != OriginalHeight;

    /// <summary>Returns the R, G, B bytes of the pixel at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The position is outside the image.</exception>
    public (byte R, byte G, byte B) GetPixel(int x, int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(x, Width);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
        int i = ((y * Width) + x) * Channels;
        return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        IsScaled
            ? $"{Width}x{Height} RGB from {SourceFormat} {OriginalWidth}x{OriginalHeight}"
            : $"{Width}x{Height} RGB from {SourceFormat}";
}

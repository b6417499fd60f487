namespace TransferKit.Data.Decoding;

/// <summary>
/// Decodes image files to 8-bit RGB (<see cref="DecodedImage"/>). The format is sniffed from the content, never
/// from the extension. JPEG goes through libjpeg-turbo; PNG, BMP and the first frame of a GIF are decoded in
/// managed code. Every failure is an <see cref="ImageDecodeException"/> whose <see cref="ImageDecodeException.Failure"/>
/// lets a dataset loader skip and report bad files.
/// </summary>
/// <remarks>Thread-safe: each thread uses its own TurboJPEG handle.</remarks>
public static class ImageDecoder
{
    /// <summary>Reads and decodes the image file at <paramref name="path"/>.</summary>
    /// <param name="path">The file to read. Its extension is ignored.</param>
    /// <param name="options">Limits and behaviour; <see cref="ImageDecodeOptions.Default"/> when null.</param>
    /// <returns>The image as RGB bytes, upright when EXIF orientation is applied.</returns>
    /// <exception cref="ImageDecodeException">The file is empty, missing, unreadable, not an image, too large, truncated,
    /// corrupt or unsupported. The size is checked before the file is read.</exception>
    /// <exception cref="NativeLibraryMissingException">The file is a JPEG and libturbojpeg is not installed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static DecodedImage Decode(string path, ImageDecodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= ImageDecodeOptions.Default;
        options.Validate();

        byte[] data;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            long length = stream.Length;
            CheckFileLength(length, path, options);

            // Sniff first, so a large non-image (a video, an archive) is refused without reading it.
            Span<byte> header = stackalloc byte[ImageFormatSniffer.HeaderLength];
            int headerLength = stream.ReadAtLeast(header, (int)Math.Min(length, header.Length), throwOnEndOfStream: false);
            ImageFormat format = ImageFormatSniffer.Detect(header[..headerLength]);
            if (format == ImageFormat.Unknown)
            {
                throw UnknownFormat(header[..headerLength], path);
            }

            data = new byte[length];
            header[..headerLength].CopyTo(data);
            int read = headerLength + stream.ReadAtLeast(data.AsSpan(headerLength), data.Length - headerLength, throwOnEndOfStream: false);
            if (read != length)
            {
                throw new ImageDecodeException(path, ImageDecodeFailure.ReadError, $"file shrank while being read ({read} of {length} bytes)");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.ReadError, ex.Message, ex);
        }

        return DecodeCore(data, path, options);
    }

    /// <summary>Decodes an image held in memory.</summary>
    /// <param name="data">The whole encoded file.</param>
    /// <param name="sourceName">A name for error messages (a path, URL or dataset key).</param>
    /// <param name="options">Limits and behaviour; <see cref="ImageDecodeOptions.Default"/> when null.</param>
    /// <returns>The image as RGB bytes, upright when EXIF orientation is applied.</returns>
    /// <exception cref="ImageDecodeException">The data is empty, not an image, too large, truncated, corrupt or unsupported.</exception>
    /// <exception cref="NativeLibraryMissingException">The data is a JPEG and libturbojpeg is not installed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static DecodedImage Decode(ReadOnlySpan<byte> data, string sourceName, ImageDecodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        options ??= ImageDecodeOptions.Default;
        options.Validate();
        CheckFileLength(data.Length, sourceName, options);
        return DecodeCore(data, sourceName, options);
    }

    /// <summary>Throws <see cref="ImageDecodeFailure.TooLarge"/> when width * height exceeds <see cref="ImageDecodeOptions.MaxPixels"/>.</summary>
    internal static void CheckPixelCount(long width, long height, string source, ImageDecodeOptions options)
    {
        if (width * height > options.MaxPixels)
        {
            throw new ImageDecodeException(source, ImageDecodeFailure.TooLarge,
                $"{width}x{height} is {width * height:N0} pixels, more than MaxPixels = {options.MaxPixels:N0}");
        }
    }

    /// <summary>Throws <see cref="ImageDecodeFailure.TooLarge"/> when a buffer of <paramref name="bytes"/> cannot be a .NET array.</summary>
    internal static void CheckArrayLength(long bytes, string source)
    {
        if (bytes > Array.MaxLength)
        {
            throw new ImageDecodeException(source, ImageDecodeFailure.TooLarge, $"the decoded image needs {bytes:N0} bytes, more than one array can hold");
        }
    }

    private static void CheckFileLength(long length, string source, ImageDecodeOptions options)
    {
        if (length == 0)
        {
            throw new ImageDecodeException(source, ImageDecodeFailure.Empty, "file is empty (0 bytes)");
        }

        if (length > options.MaxFileBytes)
        {
            throw new ImageDecodeException(source, ImageDecodeFailure.TooLarge,
                $"{length:N0} bytes is more than MaxFileBytes = {options.MaxFileBytes:N0}");
        }
    }

    private static DecodedImage DecodeCore(ReadOnlySpan<byte> data, string source, ImageDecodeOptions options)
    {
        ImageFormat format = ImageFormatSniffer.Detect(data[..Math.Min(data.Length, ImageFormatSniffer.HeaderLength)]);
        try
        {
            return format switch
            {
                ImageFormat.Jpeg => JpegDecoder.Decode(data, source, options),
                ImageFormat.Png => PngDecoder.Decode(data, source, options),
                ImageFormat.Bmp => BmpDecoder.Decode(data, source, options),
                ImageFormat.Gif => GifDecoder.Decode(data, source, options),
                ImageFormat.Unknown => throw UnknownFormat(data, source),
                _ => throw new ImageDecodeException(source, ImageDecodeFailure.Unsupported, $"{format} images are recognised but not decoded"),
            };
        }
        catch (Exception ex) when (ex is IndexOutOfRangeException or ArgumentException or OverflowException or InvalidDataException)
        {
            // Managed decoders validate what they read; this is the backstop so malformed input never escapes untyped.
            throw new ImageDecodeException(source, ImageDecodeFailure.Undecodable, $"{format} data is malformed ({ex.Message})", ex);
        }
    }

    private static ImageDecodeException UnknownFormat(ReadOnlySpan<byte> data, string source)
    {
        string what = ImageFormatSniffer.IsOleCompoundFile(data)
            ? "not an image: an OLE compound file (such as Windows' Thumbs.db)"
            : $"not a recognised image format (first bytes {Convert.ToHexString(data[..Math.Min(data.Length, 8)])})";
        return new ImageDecodeException(source, ImageDecodeFailure.UnknownFormat, what);
    }
}

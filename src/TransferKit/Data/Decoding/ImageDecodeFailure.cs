namespace TransferKit.Data.Decoding;

/// <summary>Why an image could not be decoded; carried by <see cref="ImageDecodeException.Failure"/>.</summary>
public enum ImageDecodeFailure
{
    /// <summary>The file or buffer has zero bytes.</summary>
    Empty,

    /// <summary>The data ends before the image does (a partial download or copy).</summary>
    Truncated,

    /// <summary>The first bytes match no decodable image format (for example Thumbs.db, HTML, or a text file named .jpg).</summary>
    UnknownFormat,

    /// <summary>A resource guard in <see cref="ImageDecodeOptions"/> refused it (pixel count, file size, progressive scan count,
    /// decode memory budget, expansion ratio).</summary>
    TooLarge,

    /// <summary>The data is corrupt: bad checksums, impossible header values, or a codec error.</summary>
    Undecodable,

    /// <summary>A valid image in a format or variant this library does not decode (WebP, TIFF, 12-bit JPEG, ...).</summary>
    Unsupported,

    /// <summary>The file could not be read (missing, no permission, I/O error).</summary>
    ReadError,
}

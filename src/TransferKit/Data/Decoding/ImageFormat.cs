namespace TransferKit.Data.Decoding;

/// <summary>
/// A container format recognised by <see cref="ImageFormatSniffer"/> from the file's first bytes (never from its extension).
/// </summary>
public enum ImageFormat
{
    /// <summary>Not an image format we recognise, or a known non-image (Thumbs.db, text, archives).</summary>
    Unknown = 0,

    /// <summary>JPEG / JFIF / Exif (starts FF D8 FF).</summary>
    Jpeg,

    /// <summary>PNG (8-byte signature 89 'PNG' 0D 0A 1A 0A).</summary>
    Png,

    /// <summary>Windows bitmap ('BM').</summary>
    Bmp,

    /// <summary>GIF87a or GIF89a.</summary>
    Gif,

    /// <summary>WebP ('RIFF' size 'WEBP'). Recognised but not decoded.</summary>
    WebP,

    /// <summary>TIFF, either byte order. Recognised but not decoded.</summary>
    Tiff,

    /// <summary>ISO base media images: HEIF/HEIC/AVIF ('ftyp' box with an image brand). Recognised but not decoded.</summary>
    Heif,

    /// <summary>JPEG 2000 (JP2 box or raw codestream). Recognised but not decoded.</summary>
    Jpeg2000,

    /// <summary>Windows icon or cursor. Recognised but not decoded.</summary>
    Ico,
}

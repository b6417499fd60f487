namespace TransferKit.Data.Decoding;

/// <summary>
/// Recognises an image format from its magic bytes. File extensions are never consulted: real folders contain
/// PNGs and BMPs named .jpg, and non-images (Thumbs.db, HTML error pages) named like images.
/// </summary>
public static class ImageFormatSniffer
{
    /// <summary>How many leading bytes <see cref="Detect"/> looks at; passing fewer is allowed (short files).</summary>
    public const int HeaderLength = 32;

    /// <summary>
    /// Returns the format whose signature starts <paramref name="header"/>, or <see cref="ImageFormat.Unknown"/>
    /// for unrecognised data and for known non-images such as OLE compound files (Thumbs.db, D0 CF 11 E0).
    /// </summary>
    /// <param name="header">The first bytes of the file; <see cref="HeaderLength"/> bytes suffice.</param>
    public static ImageFormat Detect(ReadOnlySpan<byte> header)
    {
        if (header.Length >= 3 && header[0] == 0xFF && header[1] == 0xD8 && header[2] == 0xFF)
        {
            return ImageFormat.Jpeg;
        }

        if (header.StartsWith(PngSignature))
        {
            return ImageFormat.Png;
        }

        if (header.StartsWith("GIF87a"u8) || header.StartsWith("GIF89a"u8))
        {
            return ImageFormat.Gif;
        }

        if (IsBmp(header))
        {
            return ImageFormat.Bmp;
        }

        if (header.Length >= 12 && header.StartsWith("RIFF"u8) && header.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return ImageFormat.WebP;
        }

        if (header.StartsWith("II*\0"u8) || header.StartsWith("MM\0*"u8))
        {
            return ImageFormat.Tiff;
        }

        if (IsHeif(header))
        {
            return ImageFormat.Heif;
        }

        if (header.StartsWith(Jp2Signature) || header.StartsWith(J2kCodestream))
        {
            return ImageFormat.Jpeg2000;
        }

        // Icons (type 1) and cursors (type 2) with a plausible image count; the bare 00 00 01 00 is too weak alone.
        if (header.Length >= 6 && header[0] == 0 && header[1] == 0 && (header[2] == 1 || header[2] == 2) && header[3] == 0
            && (header[4] != 0 || header[5] != 0))
        {
            return ImageFormat.Ico;
        }

        // Everything else, including OLE compound files (Thumbs.db: D0 CF 11 E0 A1 B1 1A E1), is not an image.
        return ImageFormat.Unknown;
    }

    /// <summary>True when the header is an OLE compound document, which is what Windows' Thumbs.db files are.</summary>
    internal static bool IsOleCompoundFile(ReadOnlySpan<byte> header) => header.StartsWith(OleSignature);

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> OleSignature => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private static ReadOnlySpan<byte> Jp2Signature => [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A];

    private static ReadOnlySpan<byte> J2kCodestream => [0xFF, 0x4F, 0xFF, 0x51];

    private static bool IsBmp(ReadOnlySpan<byte> header)
    {
        if (header.Length < 2 || header[0] != (byte)'B' || header[1] != (byte)'M')
        {
            return false;
        }

        // "BM" alone is two ASCII letters; when the DIB header size is visible, insist on a known one.
        if (header.Length < 18)
        {
            return true;
        }

        uint dibSize = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(14, 4));
        return dibSize is 12 or 16 or 40 or 52 or 56 or 64 or 108 or 124;
    }

    private static bool IsHeif(ReadOnlySpan<byte> header)
    {
        if (header.Length < 12 || !header.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            return false;
        }

        ReadOnlySpan<byte> brand = header.Slice(8, 4);
        return brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("mif1"u8)
            || brand.SequenceEqual("msf1"u8) || brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8)
            || brand.SequenceEqual("hevc"u8);
    }
}

using System.Buffers.Binary;
using TransferKit.Data.Decoding;

namespace TransferKit.Data.Synthetic;

/// <summary>
/// Writes a folder of the awkward files real photo datasets contain, to test that a pipeline skips and reports the bad
/// ones and accepts the odd-but-valid ones: a 0-byte JPEG (Microsoft PetImages has two), a JPEG cut at 60%, Thumbs.db,
/// an HTML error page and a WebP named .jpg, a PNG with a broken CRC, a JPEG header claiming 65535x65535; and valid PNG,
/// BMP and GIF files named .jpg, an Exif-only JPEG (no JFIF marker), grayscale and CMYK JPEGs, RGBA and 16-bit PNGs.
/// </summary>
public static class BadImageFolder
{
    /// <summary>Writes the files into <paramref name="directory"/> (created if needed), overwriting files of the same names.</summary>
    /// <param name="directory">Where to write; usually a class folder of a temporary dataset.</param>
    /// <param name="width">Width of the picture inside the valid files (at least 16; default 48).</param>
    /// <param name="height">Height of that picture (at least 16; default 40).</param>
    /// <returns>Every file written, with the failure the decoder reports for it (null for valid files), in name order.</returns>
    /// <exception cref="NativeLibraryMissingException">libturbojpeg is not installed (the JPEG files need its encoder).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 16.</exception>
    public static IReadOnlyList<BadImageFolderEntry> Write(string directory, int width = 48, int height = 40)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 16);
        directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(directory);
        byte[] rgb = SyntheticImageTask.Shapes.Render(0, width, height, seed: 7).Pixels;
        byte[] jpeg = JpegEncoder.Encode(width, height, rgb, quality: 90);
        var entries = new List<BadImageFolderEntry>();
        void Add(string name, byte[] bytes, ImageDecodeFailure? failure, string description)
        {
            string path = Path.Combine(directory, name);
            File.WriteAllBytes(path, bytes);
            entries.Add(new BadImageFolderEntry(path, failure, description));
        }

        Add("empty.jpg", [], ImageDecodeFailure.Empty, "0-byte file");
        Add("truncated.jpg", jpeg[..(jpeg.Length * 6 / 10)], ImageDecodeFailure.Truncated, "JPEG cut at 60% of its bytes");
        Add("Thumbs.db", ThumbsDb(), ImageDecodeFailure.UnknownFormat, "Windows thumbnail cache (OLE compound file)");
        Add("error_page.jpg", "<!DOCTYPE html><html><body>404 Not Found</body></html>\n"u8.ToArray(), ImageDecodeFailure.UnknownFormat,
            "HTML error page saved as .jpg");
        Add("webp_named.jpg", WebPHeader(), ImageDecodeFailure.Unsupported, "WebP (RIFF) data named .jpg");
        Add("bad_crc.png", CorruptCrc(PngEncoder.Encode(width, height, rgb)), ImageDecodeFailure.Undecodable, "PNG whose IHDR fails its CRC");
        Add("huge_header.jpg", PatchFrameSize(jpeg, 65535, 65535), ImageDecodeFailure.TooLarge, "JPEG whose frame header claims 65535x65535");

        Add("png_named.jpg", PngEncoder.Encode(width, height, rgb), null, "PNG data named .jpg");
        Add("bmp_named.jpg", SimpleImageWriters.Bmp(width, height, rgb), null, "24-bit BMP data named .jpg");
        Add("gif_named.jpg", SimpleImageWriters.Gif(width, height, rgb), null, "GIF data named .jpg");
        Add("exif_only.jpg", ExifOnly(jpeg), null, "JPEG with an Exif APP1 segment and no JFIF APP0, as cameras write");
        Add("gray.jpg", JpegEncoder.EncodeGray(width, height, Gray(rgb)), null, "single-channel grayscale JPEG");
        Add("cmyk.jpg", JpegEncoder.EncodeCmyk(width, height, Cmyk(rgb)), null, "four-channel CMYK (YCCK) JPEG");
        Add("rgba.png", PngEncoder.Encode(width, height, Rgba(rgb), PngColorType.Rgba), null, "8-bit RGBA PNG");
        Add("rgb16.png", PngEncoder.Encode(width, height, SixteenBit(rgb), PngColorType.Rgb, 16), null, "16-bit RGB PNG");
        return [.. entries.OrderBy(e => e.Path, StringComparer.Ordinal)];
    }

    private static byte[] ThumbsDb()
    {
        var bytes = new byte[1536];
        ReadOnlySpan<byte> ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x1A), 3); // major version
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x1C), 0xFFFE); // byte order mark
        return bytes;
    }

    private static byte[] WebPHeader()
    {
        var bytes = new byte[64];
        "RIFF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 56);
        "WEBPVP8 "u8.CopyTo(bytes.AsSpan(8));
        return bytes;
    }

    private static byte[] CorruptCrc(byte[] png)
    {
        png[8 + 8 + 13] ^= 0xFF; // first byte of IHDR's CRC: signature (8), length and type (8), IHDR data (13)
        return png;
    }

    private static byte[] PatchFrameSize(byte[] jpeg, int width, int height)
    {
        byte[] copy = (byte[])jpeg.Clone();
        for (int i = 2; i < copy.Length - 9; i++)
        {
            if (copy[i] == 0xFF && copy[i + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 5), (ushort)height);
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 7), (ushort)width);
                return copy;
            }
        }

        throw new InvalidOperationException("The encoder wrote no frame header.");
    }

    /// <summary>Replaces the JFIF APP0 segment after SOI by an Exif APP1 whose IFD0 only says Orientation = 1.</summary>
    private static byte[] ExifOnly(byte[] jpeg)
    {
        int app0Length = jpeg[2] == 0xFF && jpeg[3] == 0xE0 ? 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(4)) : 0;
        byte[] tiff = new byte[8 + 2 + 12 + 4];
        "II*\0"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(10), 0x0112); // Orientation
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(12), 3); // SHORT
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(14), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(18), 1);
        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        byte[] segment = [0xFF, 0xE1, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2), .. payload];
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2 + app0Length)];
    }

    private static byte[] Gray(byte[] rgb)
    {
        var gray = new byte[rgb.Length / 3];
        for (int i = 0; i < gray.Length; i++)
        {
            gray[i] = (byte)(((299 * rgb[3 * i]) + (587 * rgb[(3 * i) + 1]) + (114 * rgb[(3 * i) + 2])) / 1000);
        }

        return gray;
    }

    /// <summary>Naive RGB to CMYK in Adobe's inverted polarity (255 = no ink), as TurboJPEG expects.</summary>
    private static byte[] Cmyk(byte[] rgb)
    {
        var cmyk = new byte[rgb.Length / 3 * 4];
        for (int i = 0; i < rgb.Length / 3; i++)
        {
            int max = Math.Max(rgb[3 * i], Math.Max(rgb[(3 * i) + 1], rgb[(3 * i) + 2]));
            for (int c = 0; c < 3; c++)
            {
                // ink c = (max - value) / max of full scale; inverted: 255 - ink.
                cmyk[(4 * i) + c] = max == 0 ? (byte)255 : (byte)(255 - ((max - rgb[(3 * i) + c]) * 255 / max));
            }

            cmyk[(4 * i) + 3] = (byte)max; // inverted black: 255 - (255 - max)
        }

        return cmyk;
    }

    private static byte[] Rgba(byte[] rgb)
    {
        var rgba = new byte[rgb.Length / 3 * 4];
        for (int i = 0; i < rgb.Length / 3; i++)
        {
            rgba[4 * i] = rgb[3 * i];
            rgba[(4 * i) + 1] = rgb[(3 * i) + 1];
            rgba[(4 * i) + 2] = rgb[(3 * i) + 2];
            rgba[(4 * i) + 3] = (byte)(128 + (i % 128));
        }

        return rgba;
    }

    private static byte[] SixteenBit(byte[] rgb)
    {
        var wide = new byte[rgb.Length * 2];
        for (int i = 0; i < rgb.Length; i++)
        {
            wide[2 * i] = rgb[i];
            wide[(2 * i) + 1] = rgb[i]; // v * 257: the 16-bit value that maps back to v
        }

        return wide;
    }
}

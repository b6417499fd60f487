using System.Buffers.Binary;

namespace TransferKit.Data.Decoding;

/// <summary>
/// Reads the EXIF Orientation tag (0x0112) and applies it to pixels. Values follow the EXIF/TIFF specification:
/// 1 normal, 2 mirrored left-right, 3 rotated 180, 4 mirrored top-bottom, 5 transposed (mirror across the
/// top-left/bottom-right diagonal), 6 needs 90 degrees clockwise, 7 transversed, 8 needs 90 degrees counter-clockwise.
/// Applying value v produces the image a viewer shows, the same as PIL's ImageOps.exif_transpose.
/// </summary>
public static class ExifOrientation
{
    /// <summary>The Orientation value meaning "already upright".</summary>
    public const int Normal = 1;

    private const ushort OrientationTag = 0x0112;
    private const ushort TypeShort = 3;

    /// <summary>
    /// Finds the Orientation in a JPEG's first APP1 Exif segment. Returns <see cref="Normal"/> when the JPEG has no
    /// Exif data, no Orientation tag, or a value outside 1..8 (broken tags are common and must not fail a decode).
    /// </summary>
    /// <param name="jpeg">A whole JPEG file (or at least its header segments).</param>
    public static int ReadFromJpeg(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            return Normal;
        }

        JpegStreamInfo info = JpegMarkerReader.Read(jpeg, maxScans: 1);
        return info.ExifOffset < 0 ? Normal : Parse(jpeg.Slice(info.ExifOffset, info.ExifLength));
    }

    /// <summary>
    /// Reads the Orientation from TIFF-structured EXIF data (what follows "Exif\0\0" in APP1): the "II" or "MM" byte
    /// order mark, the magic 42, and IFD0. Returns <see cref="Normal"/> when the tag is absent, malformed or out of range.
    /// </summary>
    /// <param name="tiff">The TIFF header and the IFDs after it.</param>
    public static int Parse(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return Normal;
        }

        bool little;
        if (tiff[0] == (byte)'I' && tiff[1] == (byte)'I')
        {
            little = true;
        }
        else if (tiff[0] == (byte)'M' && tiff[1] == (byte)'M')
        {
            little = false;
        }
        else
        {
            return Normal;
        }

        if (ReadUInt16(tiff[2..], little) != 42)
        {
            return Normal;
        }

        uint ifd = ReadUInt32(tiff[4..], little);
        if (ifd < 8 || ifd > (uint)tiff.Length - 2)
        {
            return Normal;
        }

        int count = ReadUInt16(tiff[(int)ifd..], little);
        int entry = (int)ifd + 2;
        for (int i = 0; i < count && entry + 12 <= tiff.Length; i++, entry += 12)
        {
            if (ReadUInt16(tiff[entry..], little) != OrientationTag)
            {
                continue;
            }

            // A SHORT with count 1 sits left-justified in the 4-byte value field, in the file's byte order.
            ushort type = ReadUInt16(tiff[(entry + 2)..], little);
            int value = type == TypeShort ? ReadUInt16(tiff[(entry + 8)..], little) : (int)ReadUInt32(tiff[(entry + 8)..], little);
            return value is >= 1 and <= 8 ? value : Normal;
        }

        return Normal;
    }

    /// <summary>
    /// Returns the upright image for <paramref name="orientation"/>. Orientations 5 to 8 swap width and height
    /// (also <see cref="DecodedImage.OriginalWidth"/>/<see cref="DecodedImage.OriginalHeight"/>). Orientation 1
    /// returns <paramref name="image"/> itself; others return a new image.
    /// </summary>
    /// <param name="image">The image as stored in the file.</param>
    /// <param name="orientation">An EXIF Orientation value, 1 to 8.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="orientation"/> is not 1..8.</exception>
    public static DecodedImage Apply(DecodedImage image, int orientation)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(orientation, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(orientation, 8);
        if (orientation == Normal)
        {
            return image;
        }

        int w = image.Width;
        int h = image.Height;
        bool swaps = orientation >= 5;
        int outW = swaps ? h : w;
        int outH = swaps ? w : h;

        // Output pixel (x', y') reads source pixel index start + x' * stepX + y' * stepY (in pixels). Derived from
        // where each orientation sends the output's top-left corner and its two axes in the stored image.
        (long start, long stepX, long stepY) = orientation switch
        {
            2 => (w - 1L, -1L, (long)w),
            3 => (((h - 1L) * w) + w - 1, -1L, -(long)w),
            4 => ((h - 1L) * w, 1L, -(long)w),
            5 => (0L, (long)w, 1L),
            6 => ((h - 1L) * w, -(long)w, 1L),
            7 => (((h - 1L) * w) + w - 1, -(long)w, -1L),
            _ => (w - 1L, (long)w, -1L), // 8
        };

        byte[] src = image.Pixels;
        byte[] dst = new byte[src.Length];
        int o = 0;
        for (int y = 0; y < outH; y++)
        {
            long s = start + (y * stepY);
            for (int x = 0; x < outW; x++, s += stepX, o += 3)
            {
                long si = s * 3;
                dst[o] = src[si];
                dst[o + 1] = src[si + 1];
                dst[o + 2] = src[si + 2];
            }
        }

        return swaps
            ? new DecodedImage(outW, outH, dst, image.SourceFormat, image.OriginalHeight, image.OriginalWidth)
            : new DecodedImage(outW, outH, dst, image.SourceFormat, image.OriginalWidth, image.OriginalHeight);
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> s, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(s) : BinaryPrimitives.ReadUInt16BigEndian(s);

    private static uint ReadUInt32(ReadOnlySpan<byte> s, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s);
}

using System.Buffers.Binary;

namespace TransferKit.Data.Decoding;

/// <summary>The fields of any BMP info header version that decoding needs, normalised (height positive, top-down flag).</summary>
internal sealed class BmpHeader
{
    /// <summary>Size of the DIB header in bytes (12, 16, 40, 52, 56, 64, 108 or 124).</summary>
    public int HeaderSize { get; private init; }

    /// <summary>Width in pixels, at least 1.</summary>
    public int Width { get; private init; }

    /// <summary>Height in pixels, at least 1 (the sign is in <see cref="TopDown"/>).</summary>
    public int Height { get; private init; }

    /// <summary>True when the first stored row is the top one (negative height in the file).</summary>
    public bool TopDown { get; private init; }

    /// <summary>Bits per pixel: 1, 2, 4, 8, 16, 24 or 32.</summary>
    public int BitCount { get; private init; }

    /// <summary>The compression field (0 RGB, 1 RLE8, 2 RLE4, 3 bit fields, 4 JPEG, 5 PNG, 6 alpha bit fields).</summary>
    public uint Compression { get; private init; }

    /// <summary>Palette entries in use (0 means 2^BitCount).</summary>
    public uint ColorsUsed { get; private init; }

    /// <summary>True for the 12-byte OS/2 1.x core header (3-byte palette entries, 16-bit sizes).</summary>
    public bool IsCore => HeaderSize == 12;

    /// <summary>Bit-field masks (meaningful with compression 3 or 6).</summary>
    public uint RedMask { get; private init; }

    /// <summary>Green bit-field mask.</summary>
    public uint GreenMask { get; private init; }

    /// <summary>Blue bit-field mask.</summary>
    public uint BlueMask { get; private init; }

    /// <summary>Bytes of masks stored after a 40-byte header (12 or 16 with bit fields), which the palette follows.</summary>
    public int MaskBytesAfterHeader { get; private init; }

    /// <summary>Reads <paramref name="dib"/>; <paramref name="after"/> is what follows it (masks of a 40-byte header).</summary>
    /// <exception cref="ImageDecodeException">Impossible sizes or bit depths, or masks cut off.</exception>
    public static BmpHeader Read(ReadOnlySpan<byte> dib, ReadOnlySpan<byte> after, string source)
    {
        if (dib.Length == 12)
        {
            var core = new BmpHeader
            {
                HeaderSize = 12,
                Width = BinaryPrimitives.ReadUInt16LittleEndian(dib[4..]),
                Height = BinaryPrimitives.ReadUInt16LittleEndian(dib[6..]),
                BitCount = BinaryPrimitives.ReadUInt16LittleEndian(dib[10..]),
            };
            return Validated(core, source);
        }

        int width = BinaryPrimitives.ReadInt32LittleEndian(dib[4..]);
        int height = BinaryPrimitives.ReadInt32LittleEndian(dib[8..]);
        int bitCount = BinaryPrimitives.ReadUInt16LittleEndian(dib[14..]);
        uint compression = dib.Length >= 20 ? BinaryPrimitives.ReadUInt32LittleEndian(dib[16..]) : 0;
        uint colorsUsed = dib.Length >= 36 ? BinaryPrimitives.ReadUInt32LittleEndian(dib[32..]) : 0;
        if (height == int.MinValue)
        {
            throw new ImageDecodeException(source, ImageDecodeFailure.Undecodable, "BMP height is out of range");
        }

        bool os2 = dib.Length is 16 or 64;
        bool bitFields = !os2 && compression is 3 or 6;
        uint r = 0, g = 0, b = 0;
        int maskBytesAfter = 0;
        if (bitFields)
        {
            ReadOnlySpan<byte> masks;
            if (dib.Length >= 52)
            {
                masks = dib[40..];
            }
            else
            {
                maskBytesAfter = compression == 6 ? 16 : 12;
                if (after.Length < 12)
                {
                    throw new ImageDecodeException(source, ImageDecodeFailure.Truncated, "BMP ends inside its bit-field masks");
                }

                masks = after;
            }

            r = BinaryPrimitives.ReadUInt32LittleEndian(masks);
            g = BinaryPrimitives.ReadUInt32LittleEndian(masks[4..]);
            b = BinaryPrimitives.ReadUInt32LittleEndian(masks[8..]);
        }

        var header = new BmpHeader
        {
            HeaderSize = dib.Length,
            Width = width,
            Height = Math.Abs(height),
            TopDown = height < 0,
            BitCount = bitCount,
            Compression = compression,
            ColorsUsed = colorsUsed,
            RedMask = r,
            GreenMask = g,
            BlueMask = b,
            MaskBytesAfterHeader = maskBytesAfter,
        };
        return Validated(header, source);
    }

    private static BmpHeader Validated(BmpHeader h, string source)
    {
        if (h.Width <= 0 || h.Height <= 0)
        {
            throw new ImageDecodeException(source, ImageDecodeFailure.Undecodable, $"BMP declares an impossible size {h.Width}x{h.Height}");
        }

        if (h.BitCount is not (1 or 2 or 4 or 8 or 16 or 24 or 32))
        {
            throw new ImageDecodeException(source, ImageDecodeFailure.Undecodable, $"BMP declares {h.BitCount} bits per pixel");
        }

        return h;
    }
}

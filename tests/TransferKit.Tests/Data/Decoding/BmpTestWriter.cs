using System.Buffers.Binary;

namespace TransferKit.Tests.Data.Decoding;

/// <summary>Builds BMP files byte by byte for tests: any header size, bit depth, compression, masks and row order.</summary>
internal static class BmpTestWriter
{
    /// <summary>
    /// A BMP whose pixel (x, y) (y = 0 is the top row) has the raw value <paramref name="valueAt"/> (a palette index, or
    /// the little-endian pixel word for 16/24/32 bits). Rows are stored bottom-up unless <paramref name="topDown"/>.
    /// </summary>
    public static byte[] Uncompressed(
        int width, int height, int bitCount, Func<int, int, uint> valueAt, int headerSize = 40, uint compression = 0,
        uint[]? masks = null, byte[]? paletteBgr0 = null, bool topDown = false)
    {
        int stride = ((width * bitCount) + 31) / 32 * 4;
        byte[] pixels = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            int fileRow = topDown ? y : height - 1 - y;
            for (int x = 0; x < width; x++)
            {
                uint v = valueAt(x, y);
                int at = fileRow * stride;
                switch (bitCount)
                {
                    case < 8:
                        int bit = x * bitCount;
                        pixels[at + (bit / 8)] |= (byte)(v << (8 - bitCount - (bit % 8)));
                        break;
                    case 8:
                        pixels[at + x] = (byte)v;
                        break;
                    case 16:
                        BinaryPrimitives.WriteUInt16LittleEndian(pixels.AsSpan(at + (x * 2)), (ushort)v);
                        break;
                    case 24:
                        pixels[at + (x * 3)] = (byte)v;
                        pixels[at + (x * 3) + 1] = (byte)(v >> 8);
                        pixels[at + (x * 3) + 2] = (byte)(v >> 16);
                        break;
                    default:
                        BinaryPrimitives.WriteUInt32LittleEndian(pixels.AsSpan(at + (x * 4)), v);
                        break;
                }
            }
        }

        return Assemble(width, topDown ? -height : height, bitCount, headerSize, compression, masks, paletteBgr0, pixels);
    }

    /// <summary>A BMP with the given already-encoded pixel payload (RLE streams).</summary>
    public static byte[] Assemble(
        int width, int signedHeight, int bitCount, int headerSize, uint compression, uint[]? masks, byte[]? paletteBgr0, byte[] payload)
    {
        var dib = new byte[headerSize];
        BinaryPrimitives.WriteUInt32LittleEndian(dib, (uint)headerSize);
        if (headerSize == 12)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(dib.AsSpan(4), (ushort)width);
            BinaryPrimitives.WriteUInt16LittleEndian(dib.AsSpan(6), (ushort)signedHeight);
            BinaryPrimitives.WriteUInt16LittleEndian(dib.AsSpan(8), 1);
            BinaryPrimitives.WriteUInt16LittleEndian(dib.AsSpan(10), (ushort)bitCount);
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(dib.AsSpan(4), width);
            BinaryPrimitives.WriteInt32LittleEndian(dib.AsSpan(8), signedHeight);
            BinaryPrimitives.WriteUInt16LittleEndian(dib.AsSpan(12), 1);
            BinaryPrimitives.WriteUInt16LittleEndian(dib.AsSpan(14), (ushort)bitCount);
            BinaryPrimitives.WriteUInt32LittleEndian(dib.AsSpan(16), compression);
            BinaryPrimitives.WriteUInt32LittleEndian(dib.AsSpan(20), (uint)payload.Length);
            if (paletteBgr0 is not null)
            {
                int entrySize = 4;
                BinaryPrimitives.WriteUInt32LittleEndian(dib.AsSpan(32), (uint)(paletteBgr0.Length / entrySize));
            }

            if (masks is not null && headerSize >= 52)
            {
                for (int i = 0; i < masks.Length && 40 + (i * 4) + 4 <= headerSize; i++)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(dib.AsSpan(40 + (i * 4)), masks[i]);
                }
            }
        }

        byte[] afterHeader = masks is not null && headerSize == 40
            ? masks.SelectMany(m => BitConverter.GetBytes(m)).ToArray()
            : [];
        byte[] palette = paletteBgr0 ?? [];
        int offset = 14 + headerSize + afterHeader.Length + palette.Length;
        byte[] file = new byte[offset + payload.Length];
        file[0] = (byte)'B';
        file[1] = (byte)'M';
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(2), (uint)file.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(10), (uint)offset);
        dib.CopyTo(file, 14);
        afterHeader.CopyTo(file, 14 + headerSize);
        palette.CopyTo(file, 14 + headerSize + afterHeader.Length);
        payload.CopyTo(file, offset);
        return file;
    }

    /// <summary>A palette of <paramref name="count"/> distinct colours as B, G, R, 0 entries (or B, G, R when core).</summary>
    public static byte[] Palette(int count, bool core = false)
    {
        int size = core ? 3 : 4;
        byte[] p = new byte[count * size];
        for (int i = 0; i < count; i++)
        {
            p[i * size] = (byte)(i * 7);           // B
            p[(i * size) + 1] = (byte)(255 - i);   // G
            p[(i * size) + 2] = (byte)(i * 13);    // R
        }

        return p;
    }

    /// <summary>The RGB a palette index means in <see cref="Palette"/>.</summary>
    public static (byte R, byte G, byte B) PaletteColor(int i) => ((byte)(i * 13), (byte)(255 - i), (byte)(i * 7));
}

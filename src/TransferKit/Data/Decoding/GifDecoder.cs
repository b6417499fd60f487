using System.Buffers.Binary;

namespace TransferKit.Data.Decoding;

/// <summary>
/// Managed GIF decoder for the first frame only (animation is ignored: a dataset image is one picture). The frame is
/// drawn at its offset on a canvas of the logical screen size filled with the background colour (black without a
/// global colour table); interlaced frames are de-interlaced. Transparency is ignored: a transparent index shows its
/// palette colour, which is what Pillow's <c>convert("RGB")</c> of a "P" image gives.
/// </summary>
internal static class GifDecoder
{
    /// <summary>Decodes the first frame of <paramref name="data"/> (sniffed as GIF) to RGB.</summary>
    /// <exception cref="ImageDecodeException">Truncated, corrupt or too large.</exception>
    public static DecodedImage Decode(ReadOnlySpan<byte> data, string source, ImageDecodeOptions options)
    {
        if (data.Length < 13)
        {
            throw Fail(source, ImageDecodeFailure.Truncated, "GIF ends inside its screen descriptor");
        }

        int screenW = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
        int screenH = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]);
        byte flags = data[10];
        int background = data[11];
        int pos = 13;
        byte[]? globalTable = null;
        if ((flags & 0x80) != 0)
        {
            int size = 3 << ((flags & 7) + 1);
            if (pos + size > data.Length)
            {
                throw Fail(source, ImageDecodeFailure.Truncated, "GIF ends inside its global colour table");
            }

            globalTable = data.Slice(pos, size).ToArray();
            pos += size;
        }

        while (true)
        {
            if (pos >= data.Length)
            {
                throw Fail(source, ImageDecodeFailure.Truncated, "GIF ends before its first image");
            }

            byte block = data[pos++];
            switch (block)
            {
                case 0x21: // extension: label, then data sub-blocks
                    if (pos >= data.Length)
                    {
                        throw Fail(source, ImageDecodeFailure.Truncated, "GIF ends inside an extension");
                    }

                    pos = SkipSubBlocks(data, pos + 1, source);
                    break;
                case 0x2C:
                    return DecodeFrame(data, pos, screenW, screenH, globalTable, background, source, options);
                case 0x3B:
                    throw Fail(source, ImageDecodeFailure.Undecodable, "GIF has no image before its trailer");
                default:
                    throw Fail(source, ImageDecodeFailure.Undecodable, $"GIF has unknown block type 0x{block:X2}");
            }
        }
    }

    private static DecodedImage DecodeFrame(
        ReadOnlySpan<byte> data, int pos, int screenW, int screenH, byte[]? globalTable, int background,
        string source, ImageDecodeOptions options)
    {
        if (pos + 9 > data.Length)
        {
            throw Fail(source, ImageDecodeFailure.Truncated, "GIF ends inside an image descriptor");
        }

        int left = BinaryPrimitives.ReadUInt16LittleEndian(data[pos..]);
        int top = BinaryPrimitives.ReadUInt16LittleEndian(data[(pos + 2)..]);
        int w = BinaryPrimitives.ReadUInt16LittleEndian(data[(pos + 4)..]);
        int h = BinaryPrimitives.ReadUInt16LittleEndian(data[(pos + 6)..]);
        byte flags = data[pos + 8];
        pos += 9;

        // Broken writers leave the screen at 0x0 or smaller than the frame; the frame's own extent then wins.
        int canvasW = Math.Max(screenW, left + w);
        int canvasH = Math.Max(screenH, top + h);
        if (w == 0 || h == 0)
        {
            throw Fail(source, ImageDecodeFailure.Undecodable, $"GIF frame is {w}x{h}");
        }

        ImageDecoder.CheckPixelCount(canvasW, canvasH, source, options);

        byte[]? table = globalTable;
        if ((flags & 0x80) != 0)
        {
            int size = 3 << ((flags & 7) + 1);
            if (pos + size > data.Length)
            {
                throw Fail(source, ImageDecodeFailure.Truncated, "GIF ends inside a local colour table");
            }

            table = data.Slice(pos, size).ToArray();
            pos += size;
        }

        if (table is null)
        {
            throw Fail(source, ImageDecodeFailure.Undecodable, "GIF frame has no colour table");
        }

        if (pos >= data.Length)
        {
            throw Fail(source, ImageDecodeFailure.Truncated, "GIF ends before its image data");
        }

        int minCodeSize = data[pos++];
        if (minCodeSize is < 1 or > 8)
        {
            throw Fail(source, ImageDecodeFailure.Undecodable, $"GIF LZW minimum code size {minCodeSize} is invalid");
        }

        // The canvas outside the frame is background that no data describes; the ratio guard refuses a tiny frame on a huge screen.
        long outputBytes = (long)canvasW * canvasH * 3;
        DecodeBudget.Reserve(data.Length + ((long)w * h) + outputBytes, outputBytes, data.Length, source, options);
        byte[] indices = new byte[w * h];
        int decoded = GifLzw.Decode(data, pos, minCodeSize, indices, out bool dataEnded);
        if (decoded < indices.Length)
        {
            throw Fail(source, dataEnded ? ImageDecodeFailure.Truncated : ImageDecodeFailure.Undecodable,
                $"GIF image data yields {decoded} of {indices.Length} pixels");
        }

        byte[] rgb = new byte[canvasW * canvasH * 3];
        if (globalTable is not null && background * 3 + 2 < globalTable.Length)
        {
            for (int i = 0; i < rgb.Length; i += 3)
            {
                rgb[i] = globalTable[background * 3];
                rgb[i + 1] = globalTable[(background * 3) + 1];
                rgb[i + 2] = globalTable[(background * 3) + 2];
            }
        }

        bool interlaced = (flags & 0x40) != 0;
        int entries = table.Length / 3;
        for (int r = 0; r < h; r++)
        {
            int y = top + (interlaced ? InterlacedRow(r, h) : r);
            int o = ((y * canvasW) + left) * 3;
            for (int x = 0; x < w; x++, o += 3)
            {
                int index = indices[(r * w) + x];
                if (index < entries)
                {
                    rgb[o] = table[index * 3];
                    rgb[o + 1] = table[(index * 3) + 1];
                    rgb[o + 2] = table[(index * 3) + 2];
                }
            }
        }

        return new DecodedImage(canvasW, canvasH, rgb, ImageFormat.Gif);
    }

    /// <summary>The canvas row of the <paramref name="r"/>-th stored row of an interlaced frame (passes 8/0, 8/4, 4/2, 2/1).</summary>
    internal static int InterlacedRow(int r, int height)
    {
        int pass1 = (height + 7) / 8;
        if (r < pass1)
        {
            return r * 8;
        }

        r -= pass1;
        int pass2 = (height + 3) / 8;
        if (r < pass2)
        {
            return 4 + (r * 8);
        }

        r -= pass2;
        int pass3 = (height + 1) / 4;
        return r < pass3 ? 2 + (r * 4) : 1 + ((r - pass3) * 2);
    }

    private static int SkipSubBlocks(ReadOnlySpan<byte> data, int pos, string source)
    {
        while (true)
        {
            if (pos >= data.Length)
            {
                throw Fail(source, ImageDecodeFailure.Truncated, "GIF ends inside a data sub-block");
            }

            int size = data[pos++];
            if (size == 0)
            {
                return pos;
            }

            pos += size;
        }
    }

    private static ImageDecodeException Fail(string source, ImageDecodeFailure failure, string reason) => new(source, failure, reason);
}

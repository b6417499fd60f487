using System.Buffers.Binary;
using System.Numerics;

namespace TransferKit.Data.Decoding;

/// <summary>
/// Managed BMP decoder: core (OS/2 1.x), BITMAPINFOHEADER and V2 to V5 headers; 1, 4 and 8-bit palettes; 16-bit (5-5-5
/// or bit fields), 24-bit and 32-bit (BGRX or bit fields); bottom-up and top-down rows; RLE8 and RLE4. Alpha is dropped
/// as Pillow's <c>convert("RGB")</c> does. Embedded JPEG/PNG payloads and OS/2 Huffman/RLE24 report Unsupported.
/// </summary>
internal static class BmpDecoder
{
    private const int FileHeaderSize = 14;
    private const uint BiRgb = 0, BiRle8 = 1, BiRle4 = 2, BiBitFields = 3, BiJpeg = 4, BiPng = 5, BiAlphaBitFields = 6;

    /// <summary>Decodes <paramref name="data"/> (sniffed as BMP) to RGB.</summary>
    /// <exception cref="ImageDecodeException">Truncated, corrupt, too large or an unsupported variant.</exception>
    public static DecodedImage Decode(ReadOnlySpan<byte> data, string source, ImageDecodeOptions options)
    {
        if (data.Length < FileHeaderSize + 4)
        {
            throw Fail(source, ImageDecodeFailure.Truncated, "BMP ends inside its file header");
        }

        uint pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        int dibSize = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(data[14..]), int.MaxValue);
        if (dibSize is not (12 or 16 or 40 or 52 or 56 or 64 or 108 or 124))
        {
            throw Fail(source, ImageDecodeFailure.Unsupported, $"BMP header of {dibSize} bytes is not a known version");
        }

        if (data.Length < FileHeaderSize + dibSize)
        {
            throw Fail(source, ImageDecodeFailure.Truncated, "BMP ends inside its info header");
        }

        BmpHeader h = BmpHeader.Read(data.Slice(FileHeaderSize, dibSize), data[(FileHeaderSize + dibSize)..], source);
        ImageDecoder.CheckPixelCount(h.Width, h.Height, source, options);

        bool isOs2 = dibSize is 16 or 64;
        if (h.Compression is BiJpeg or BiPng || (isOs2 && h.Compression is 3 or 4))
        {
            throw Fail(source, ImageDecodeFailure.Unsupported, $"BMP compression {h.Compression} (embedded JPEG/PNG or OS/2 Huffman/RLE24) is not supported");
        }

        byte[] palette = ReadPalette(data, h, source);
        if (pixelOffset >= data.Length)
        {
            throw Fail(source, ImageDecodeFailure.Truncated, "BMP ends before its pixel data");
        }

        ReadOnlySpan<byte> pixels = data[(int)pixelOffset..];
        long outputBytes = (long)h.Width * h.Height * 3;
        bool rle = h.Compression is BiRle8 or BiRle4 && !isOs2;
        if (rle && (h.TopDown || h.BitCount != (h.Compression == BiRle8 ? 8 : 4)))
        {
            throw Fail(source, ImageDecodeFailure.Undecodable, $"BMP RLE with {h.BitCount} bits per pixel or top-down rows is invalid");
        }

        if (!rle && h.Compression is not (BiRgb or BiBitFields or BiAlphaBitFields))
        {
            throw Fail(source, ImageDecodeFailure.Unsupported, $"BMP compression {h.Compression} is not supported");
        }

        if (!rle)
        {
            // Uncompressed rows must all be present before the image is allocated for them.
            CheckUncompressedLength(pixels.Length, h, source);
        }

        // RLE codes can skip whole rows and end early, so a few bytes may claim any size: the ratio guard catches that.
        DecodeBudget.Reserve(data.Length + outputBytes, outputBytes, data.Length, source, options);
        byte[] rgb = new byte[outputBytes];
        if (rle)
        {
            BmpRle.Decode(pixels, h, palette, rgb, source);
        }
        else
        {
            DecodeUncompressed(pixels, h, palette, rgb, source);
        }

        return new DecodedImage(h.Width, h.Height, rgb, ImageFormat.Bmp);
    }

    /// <summary>Scales a bit-field channel of <paramref name="bits"/> bits to 0..255 (truncating, as Pillow's unpackers do).</summary>
    internal static byte ScaleChannel(uint value, int bits) =>
        bits switch
        {
            0 => 0,
            >= 8 => (byte)(value >> (bits - 8)),
            _ => (byte)(value * 255 / ((1u << bits) - 1)),
        };

    private static byte[] ReadPalette(ReadOnlySpan<byte> data, BmpHeader h, string source)
    {
        if (h.BitCount > 8)
        {
            return [];
        }

        int entries = h.ColorsUsed == 0 || h.ColorsUsed > 1u << h.BitCount ? 1 << h.BitCount : (int)h.ColorsUsed;
        int entrySize = h.IsCore ? 3 : 4;
        long start = FileHeaderSize + h.HeaderSize + h.MaskBytesAfterHeader;
        long available = Math.Max(0, (data.Length - start) / entrySize);
        if (available == 0)
        {
            throw Fail(source, ImageDecodeFailure.Truncated, "BMP ends before its colour palette");
        }

        // Writers sometimes store fewer entries than the bit depth allows; missing ones read as black.
        entries = (int)Math.Min(entries, available);
        byte[] palette = new byte[(1 << h.BitCount) * 3];
        for (int i = 0; i < entries; i++)
        {
            int s = (int)start + (i * entrySize);
            palette[i * 3] = data[s + 2];
            palette[(i * 3) + 1] = data[s + 1];
            palette[(i * 3) + 2] = data[s];
        }

        return palette;
    }

    private static long Stride(BmpHeader h) => ((((long)h.Width * h.BitCount) + 31) / 32) * 4;

    private static void CheckUncompressedLength(int available, BmpHeader h, string source)
    {
        long lastRow = (((long)h.Width * h.BitCount) + 7) / 8;
        long needed = (Stride(h) * (h.Height - 1)) + lastRow;
        if (needed > available)
        {
            throw Fail(source, ImageDecodeFailure.Truncated, $"BMP pixel data has {available} bytes, needs {needed}");
        }
    }

    private static void DecodeUncompressed(ReadOnlySpan<byte> pixels, BmpHeader h, byte[] palette, byte[] rgb, string source)
    {
        long stride = Stride(h);

        // 32-bit BI_RGB is B, G, R, unused; 16-bit BI_RGB is 5-5-5; with bit fields the header's masks rule.
        bool bgrx = h.BitCount == 32 && h.Compression == BiRgb;
        (uint rMask, uint gMask, uint bMask) = h.Compression == BiRgb
            ? (0x7C00u, 0x03E0u, 0x001Fu)
            : (h.RedMask, h.GreenMask, h.BlueMask);
        if (h.BitCount is 16 or 32 && !bgrx && (rMask | gMask | bMask) == 0)
        {
            throw Fail(source, ImageDecodeFailure.Undecodable, "BMP declares bit fields but all colour masks are zero");
        }

        var red = new BitField(rMask);
        var green = new BitField(gMask);
        var blue = new BitField(bMask);
        int w = h.Width;
        for (int y = 0; y < h.Height; y++)
        {
            int fileRow = h.TopDown ? y : h.Height - 1 - y;
            ReadOnlySpan<byte> row = pixels.Slice((int)(fileRow * stride), (int)Math.Min(stride, pixels.Length - (fileRow * stride)));
            Span<byte> dst = rgb.AsSpan(y * w * 3, w * 3);
            switch (h.BitCount)
            {
                case 1 or 2 or 4 or 8:
                    int depth = h.BitCount;
                    int mask = (1 << depth) - 1;
                    for (int x = 0; x < w; x++)
                    {
                        int bit = x * depth;
                        int index = (row[bit >> 3] >> (8 - depth - (bit & 7))) & mask;
                        dst[x * 3] = palette[index * 3];
                        dst[(x * 3) + 1] = palette[(index * 3) + 1];
                        dst[(x * 3) + 2] = palette[(index * 3) + 2];
                    }

                    break;
                case 24:
                    for (int x = 0; x < w; x++)
                    {
                        dst[x * 3] = row[(x * 3) + 2];
                        dst[(x * 3) + 1] = row[(x * 3) + 1];
                        dst[(x * 3) + 2] = row[x * 3];
                    }

                    break;
                case 32 when bgrx:
                    for (int x = 0; x < w; x++)
                    {
                        dst[x * 3] = row[(x * 4) + 2];
                        dst[(x * 3) + 1] = row[(x * 4) + 1];
                        dst[(x * 3) + 2] = row[x * 4];
                    }

                    break;
                case 16 or 32:
                    int size = h.BitCount / 8;
                    for (int x = 0; x < w; x++)
                    {
                        uint v = size == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(row[(x * 2)..]) : BinaryPrimitives.ReadUInt32LittleEndian(row[(x * 4)..]);
                        dst[x * 3] = red.Extract(v);
                        dst[(x * 3) + 1] = green.Extract(v);
                        dst[(x * 3) + 2] = blue.Extract(v);
                    }

                    break;
                default:
                    throw Fail(source, ImageDecodeFailure.Unsupported, $"BMP with {h.BitCount} bits per pixel is not supported");
            }
        }
    }

    private static ImageDecodeException Fail(string source, ImageDecodeFailure failure, string reason) => new(source, failure, reason);

    /// <summary>One colour channel described by a contiguous bit mask.</summary>
    private readonly struct BitField
    {
        private readonly uint _mask;
        private readonly int _shift;
        private readonly int _bits;

        public BitField(uint mask)
        {
            _mask = mask;
            _shift = mask == 0 ? 0 : BitOperations.TrailingZeroCount(mask);
            _bits = BitOperations.PopCount(mask);
        }

        public byte Extract(uint pixel) => ScaleChannel((pixel & _mask) >> _shift, _bits);
    }
}

using System.Buffers.Binary;
using System.IO.Compression;

namespace TransferKit.Data.Decoding;

/// <summary>
/// Managed PNG decoder: every colour type (gray, RGB, palette, gray+alpha, RGBA), bit depths 1 to 16, all five filters
/// and Adam7 interlacing. Output is 8-bit RGB with the semantics of Pillow's <c>convert("RGB")</c>: alpha and tRNS
/// transparency are dropped (not composited), palette entries are looked up, gray is replicated, and 1/2/4-bit gray
/// is scaled to 0..255. 16-bit samples keep their high byte, as Pillow does for RGB, RGBA and LA; for 16-bit gray,
/// Pillow instead opens mode "I" and clips values above 255 to white, which we deliberately do not copy.
/// </summary>
/// <remarks>
/// Chunk CRCs are verified (a mismatch is <see cref="ImageDecodeFailure.Undecodable"/>); data that ends inside a chunk
/// or before IEND is <see cref="ImageDecodeFailure.Truncated"/>. The pixel guard runs right after IHDR; the memory
/// guards once all chunks are read, before the image is allocated; and scanlines are inflated row by row, never whole.
/// </remarks>
internal static class PngDecoder
{
    private const uint Ihdr = 0x49484452;
    private const uint Plte = 0x504C5445;
    private const uint Idat = 0x49444154;
    private const uint Iend = 0x49454E44;

    /// <summary>The most bytes deflate can produce per compressed byte.</summary>
    private const long MaxDeflateRatio = 1032;

    /// <summary>What the inflater holds besides our buffers (zlib's 32 KiB window and state, the stream's buffer).</summary>
    private const long InflaterBytes = 128 * 1024;

    /// <summary>Decodes <paramref name="data"/> (sniffed as PNG) to RGB.</summary>
    /// <exception cref="ImageDecodeException">Truncated, corrupt, too large, or an unknown critical chunk.</exception>
    public static DecodedImage Decode(ReadOnlySpan<byte> data, string source, ImageDecodeOptions options)
    {
        PngHeader? header = null;
        byte[]? palette = null;
        var idat = new List<Range>();
        long compressedLength = 0;
        bool ended = false;
        int pos = PngLayout.Signature.Length;
        while (!ended)
        {
            if (pos + 8 > data.Length)
            {
                throw Fail(source, ImageDecodeFailure.Truncated, pos == data.Length ? "PNG ends before its IEND chunk" : "PNG ends inside a chunk header");
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(pos, 4));
            uint type = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(pos + 4, 4));
            string name = ChunkName(data.Slice(pos + 4, 4));
            if (length > int.MaxValue)
            {
                throw Fail(source, ImageDecodeFailure.Undecodable, $"PNG chunk '{name}' claims {length} bytes");
            }

            if ((long)pos + 12 + length > data.Length)
            {
                throw Fail(source, ImageDecodeFailure.Truncated, $"PNG ends inside chunk '{name}'");
            }

            ReadOnlySpan<byte> body = data.Slice(pos + 8, (int)length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(pos + 8 + (int)length, 4));
            if (Crc32.Compute(data.Slice(pos + 4, (int)length + 4)) != stored)
            {
                throw Fail(source, ImageDecodeFailure.Undecodable, $"PNG chunk '{name}' fails its CRC check");
            }

            if (header is null && type != Ihdr)
            {
                throw Fail(source, ImageDecodeFailure.Undecodable, $"PNG starts with chunk '{name}' instead of IHDR");
            }

            switch (type)
            {
                case Ihdr:
                    header = ReadHeader(body, source);
                    ImageDecoder.CheckPixelCount(header.Width, header.Height, source, options);
                    break;
                case Plte:
                    if (length % 3 != 0 || length == 0 || length > 768)
                    {
                        throw Fail(source, ImageDecodeFailure.Undecodable, $"PNG palette has {length} bytes");
                    }

                    palette = body.ToArray();
                    break;
                case Idat:
                    idat.Add(new Range(pos + 8, pos + 8 + (int)length));
                    compressedLength += length;
                    break;
                case Iend:
                    ended = true;
                    break;
                default:
                    // Bit 5 of the first letter clear (upper case) marks a critical chunk we must understand (e.g. Apple's CgBI).
                    if ((data[pos + 4] & 0x20) == 0)
                    {
                        throw Fail(source, ImageDecodeFailure.Unsupported, $"PNG has unknown critical chunk '{name}'");
                    }

                    // Ancillary chunks (tRNS, gAMA, iCCP, text, ...) do not change RGB output.
                    break;
            }

            pos += 12 + (int)length;
        }

        PngHeader h = header!;
        if (idat.Count == 0)
        {
            throw Fail(source, ImageDecodeFailure.Undecodable, "PNG has no IDAT chunk");
        }

        if (h.ColorType == PngColorType.Palette && palette is null)
        {
            throw Fail(source, ImageDecodeFailure.Undecodable, "indexed PNG has no PLTE chunk");
        }

        // Deflate cannot expand more than 1032 times (258-byte matches coded in two bits), so image data that cannot hold
        // the declared image is refused before anything is allocated for it.
        long rawLength = PngLayout.RawLength(h.Width, h.Height, h.BitsPerPixel, h.Interlaced);
        if (rawLength > (compressedLength * MaxDeflateRatio) + MaxDeflateRatio)
        {
            throw Fail(source, ImageDecodeFailure.Truncated,
                $"PNG declares {h.Width}x{h.Height} ({rawLength:N0} bytes of scanlines), but its {compressedLength:N0} bytes of image data cannot inflate to that");
        }

        long outputBytes = (long)h.Width * h.Height * 3;
        long rowBytes = 1 + PngLayout.RowBytes(h.Width, h.BitsPerPixel);
        DecodeBudget.Reserve(data.Length + compressedLength + InflaterBytes + (2 * rowBytes) + outputBytes, outputBytes, data.Length, source, options);

        byte[] compressed = new byte[compressedLength];
        int at = 0;
        foreach (Range r in idat)
        {
            ReadOnlySpan<byte> part = data[r];
            part.CopyTo(compressed.AsSpan(at));
            at += part.Length;
        }

        byte[] rgb = new byte[outputBytes];
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            PngPixelReader.Reconstruct(zlib, h, palette, rgb, source);
        }
        catch (InvalidDataException ex)
        {
            throw new ImageDecodeException(source, ImageDecodeFailure.Undecodable, $"PNG image data is not valid zlib ({ex.Message})", ex);
        }

        return new DecodedImage(h.Width, h.Height, rgb, ImageFormat.Png);
    }

    private static PngHeader ReadHeader(ReadOnlySpan<byte> body, string source)
    {
        if (body.Length != 13)
        {
            throw Fail(source, ImageDecodeFailure.Undecodable, $"PNG IHDR has {body.Length} bytes instead of 13");
        }

        uint width = BinaryPrimitives.ReadUInt32BigEndian(body);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        int depth = body[8];
        var colorType = (PngColorType)body[9];
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
        {
            throw Fail(source, ImageDecodeFailure.Undecodable, $"PNG declares an impossible size {width}x{height}");
        }

        if (!PngLayout.IsValidDepth(colorType, depth))
        {
            throw Fail(source, ImageDecodeFailure.Undecodable, $"PNG colour type {body[9]} with bit depth {depth} is invalid");
        }

        if (body[10] != 0 || body[11] != 0 || body[12] > 1)
        {
            throw Fail(source, ImageDecodeFailure.Unsupported,
                $"PNG compression {body[10]}, filter method {body[11]} or interlace {body[12]} is not defined by the standard");
        }

        return new PngHeader((int)width, (int)height, depth, colorType, body[12] == 1);
    }

    private static string ChunkName(ReadOnlySpan<byte> type)
    {
        Span<char> chars = stackalloc char[4];
        for (int i = 0; i < 4; i++)
        {
            chars[i] = type[i] is >= 0x20 and < 0x7F ? (char)type[i] : '?';
        }

        return new string(chars);
    }

    private static ImageDecodeException Fail(string source, ImageDecodeFailure failure, string reason) => new(source, failure, reason);
}

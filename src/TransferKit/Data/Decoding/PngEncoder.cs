using System.Buffers.Binary;
using System.IO.Compression;

namespace TransferKit.Data.Decoding;

/// <summary>
/// Writes non-interlaced PNG files in managed code (zlib through <see cref="ZLibStream"/>, CRC-32 from a small table),
/// choosing each row's filter by the usual minimum-sum-of-absolute-differences heuristic.
/// </summary>
public static class PngEncoder
{
    /// <summary>Encodes <paramref name="image"/> as an 8-bit RGB PNG.</summary>
    /// <returns>The complete PNG file.</returns>
    public static byte[] Encode(DecodedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Encode(image.Width, image.Height, image.Pixels, PngColorType.Rgb, 8);
    }

    /// <summary>Encodes raw samples as a PNG.</summary>
    /// <param name="width">Columns, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="samples">
    /// Row-major pixels with the colour type's samples in order (gray; R, G, B; gray, alpha; R, G, B, A). For bit depth
    /// 16 every sample is two bytes, most significant first (PNG's own order). Length width * height * samples * depth / 8.
    /// </param>
    /// <param name="colorType">Gray, Rgb, GrayAlpha or Rgba (Palette is not written).</param>
    /// <param name="bitDepth">8 or 16.</param>
    /// <returns>The complete PNG file.</returns>
    /// <exception cref="ArgumentException">The buffer length does not match, or the colour type / depth is not written.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> samples, PngColorType colorType = PngColorType.Rgb, int bitDepth = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (colorType == PngColorType.Palette || PngLayout.SamplesPerPixel(colorType) == 0 || bitDepth is not (8 or 16))
        {
            throw new ArgumentException($"PngEncoder writes Gray, Rgb, GrayAlpha and Rgba at 8 or 16 bits, not {colorType} at {bitDepth}.", nameof(colorType));
        }

        int bpp = PngLayout.SamplesPerPixel(colorType) * bitDepth / 8;
        long rowBytes = (long)width * bpp;
        if (samples.Length != rowBytes * height)
        {
            throw new ArgumentException($"Expected {rowBytes * height} bytes for {width}x{height} {colorType} {bitDepth}-bit, got {samples.Length}.", nameof(samples));
        }

        using var file = new MemoryStream();
        file.Write(PngLayout.Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr[4..], (uint)height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = (byte)colorType;
        WriteChunk(file, "IHDR"u8, ihdr);

        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                byte[] best = new byte[rowBytes];
                byte[] trial = new byte[rowBytes];
                for (int y = 0; y < height; y++)
                {
                    ReadOnlySpan<byte> row = samples.Slice((int)(y * rowBytes), (int)rowBytes);
                    ReadOnlySpan<byte> previous = y == 0 ? default : samples.Slice((int)((y - 1) * rowBytes), (int)rowBytes);
                    int bestType = ChooseFilter(row, previous, bpp, best, trial);
                    zlib.WriteByte((byte)bestType);
                    zlib.Write(best);
                }
            }

            WriteChunk(file, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        }

        WriteChunk(file, "IEND"u8, []);
        return file.ToArray();
    }

    /// <summary>Writes one chunk: length, type, data, CRC of type and data.</summary>
    internal static void WriteChunk(Stream stream, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        stream.Write(word);
        stream.Write(type);
        stream.Write(data);
        uint crc = Crc32.Finish(Crc32.Append(Crc32.Append(Crc32.Start, type), data));
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        stream.Write(word);
    }

    private static int ChooseFilter(ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bpp, Span<byte> best, Span<byte> trial)
    {
        long bestScore = long.MaxValue;
        int bestType = 0;
        for (int type = 0; type <= 4; type++)
        {
            PngFilters.Filter(type, row, previous, bpp, trial);
            long score = 0;
            foreach (byte b in trial)
            {
                score += b < 128 ? b : 256 - b;
            }

            if (score < bestScore)
            {
                bestScore = score;
                bestType = type;
                trial.CopyTo(best);
            }
        }

        return bestType;
    }
}

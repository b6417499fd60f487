using System.Buffers.Binary;
using System.IO.Compression;
using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Data.Decoding;

/// <summary>
/// A deliberately plain PNG writer for tests, independent of the library's encoder: any colour type and bit depth,
/// Adam7 interlacing, a chosen filter per row, IDAT split into several chunks, optional PLTE/tRNS, and a bitwise CRC.
/// Also the naive oracle for what Pillow's convert("RGB") gives for the same samples.
/// </summary>
internal static class PngTestWriter
{
    /// <summary>Samples per pixel for a colour type.</summary>
    public static int Channels(PngColorType type) => type switch
    {
        PngColorType.Gray or PngColorType.Palette => 1,
        PngColorType.GrayAlpha => 2,
        PngColorType.Rgb => 3,
        _ => 4,
    };

    /// <summary>
    /// Writes a PNG of <paramref name="samples"/> (channels per pixel, row-major, each 0..2^depth-1).
    /// <paramref name="filterFor"/> picks the filter of each stored row (by running row number over all passes).
    /// </summary>
    public static byte[] Write(
        int width, int height, PngColorType type, int depth, int[] samples, bool interlaced,
        Func<int, int>? filterFor = null, byte[]? palette = null, byte[]? transparency = null, int idatChunkSize = 64)
    {
        filterFor ??= row => row % 5;
        int channels = Channels(type);
        var raw = new MemoryStream();
        int storedRow = 0;
        (int X0, int Y0, int Dx, int Dy)[] passes = interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)];
        foreach ((int x0, int y0, int dx, int dy) in passes)
        {
            byte[]? previous = null;
            for (int y = y0; y < height; y += dy)
            {
                var bits = new List<int>();
                for (int x = x0; x < width; x += dx)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        bits.Add(samples[(((y * width) + x) * channels) + c]);
                    }
                }

                if (bits.Count == 0)
                {
                    break; // an empty pass column range: no rows at all
                }

                byte[] row = Pack(bits, depth);
                int filter = filterFor(storedRow++);
                raw.WriteByte((byte)filter);
                raw.Write(FilterRow(filter, row, previous, Math.Max(1, channels * depth / 8)));
                previous = row;
            }
        }

        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(raw.ToArray());
        }

        var file = new MemoryStream();
        file.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        byte[] ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = (byte)depth;
        ihdr[9] = (byte)type;
        ihdr[12] = (byte)(interlaced ? 1 : 0);
        WriteChunk(file, "IHDR", ihdr);
        if (palette is not null)
        {
            WriteChunk(file, "PLTE", palette);
        }

        if (transparency is not null)
        {
            WriteChunk(file, "tRNS", transparency);
        }

        WriteChunk(file, "tEXt", [.. "Comment\0test"u8]);
        byte[] data = compressed.ToArray();
        for (int at = 0; at < data.Length; at += idatChunkSize)
        {
            WriteChunk(file, "IDAT", data.AsSpan(at, Math.Min(idatChunkSize, data.Length - at)).ToArray());
        }

        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    /// <summary>Writes a chunk with a bitwise-computed CRC.</summary>
    public static void WriteChunk(Stream stream, string type, byte[] data)
    {
        byte[] header = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, header.AsSpan(4));
        stream.Write(header);
        stream.Write(data);
        byte[] crcInput = [.. header.AsSpan(4), .. data];
        byte[] crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, BitwiseCrc32(crcInput));
        stream.Write(crc);
    }

    /// <summary>CRC-32 one bit at a time: the naive twin of the library's table version.</summary>
    public static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>What Pillow's convert("RGB") gives for these samples (16-bit: high byte; low depths scaled; alpha dropped).</summary>
    public static byte[] ExpectedRgb(int width, int height, PngColorType type, int depth, int[] samples, byte[]? palette)
    {
        int channels = Channels(type);
        byte[] rgb = new byte[width * height * 3];
        int To8(int v) => depth == 16 ? v >> 8 : depth == 8 ? v : v * 255 / ((1 << depth) - 1);
        for (int p = 0; p < width * height; p++)
        {
            int s = p * channels;
            (int r, int g, int b) = type switch
            {
                PngColorType.Gray or PngColorType.GrayAlpha => (To8(samples[s]), To8(samples[s]), To8(samples[s])),
                PngColorType.Palette => (palette![samples[s] * 3], palette[(samples[s] * 3) + 1], palette[(samples[s] * 3) + 2]),
                _ => (To8(samples[s]), To8(samples[s + 1]), To8(samples[s + 2])),
            };
            rgb[p * 3] = (byte)r;
            rgb[(p * 3) + 1] = (byte)g;
            rgb[(p * 3) + 2] = (byte)b;
        }

        return rgb;
    }

    /// <summary>Seeded random samples for a colour type and depth (palette indices below <paramref name="paletteSize"/>).</summary>
    public static int[] RandomSamples(int width, int height, PngColorType type, int depth, int seed, int paletteSize = 0)
    {
        var random = new Random(seed);
        int max = type == PngColorType.Palette ? paletteSize : 1 << depth;
        int[] samples = new int[width * height * Channels(type)];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = random.Next(max);
        }

        return samples;
    }

    private static byte[] Pack(List<int> values, int depth)
    {
        if (depth == 16)
        {
            byte[] wide = new byte[values.Count * 2];
            for (int i = 0; i < values.Count; i++)
            {
                wide[i * 2] = (byte)(values[i] >> 8);
                wide[(i * 2) + 1] = (byte)values[i];
            }

            return wide;
        }

        byte[] packed = new byte[((values.Count * depth) + 7) / 8];
        for (int i = 0; i < values.Count; i++)
        {
            int bit = i * depth;
            packed[bit / 8] |= (byte)(values[i] << (8 - depth - (bit % 8)));
        }

        return packed;
    }

    private static byte[] FilterRow(int filter, byte[] row, byte[]? previous, int bpp)
    {
        byte[] output = new byte[row.Length];
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0;
            int b = previous?[i] ?? 0;
            int c = previous is not null && i >= bpp ? previous[i - bpp] : 0;
            int predictor = filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                _ => PaethNaive(a, b, c),
            };
            output[i] = (byte)(row[i] - predictor);
        }

        return output;
    }

    private static int PaethNaive(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}

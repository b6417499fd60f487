using System.Buffers.Binary;

namespace TransferKit.Data.Synthetic;

/// <summary>
/// Minimal BMP and GIF writers for test data (the library decodes these formats but has no encoders for them):
/// 24-bit bottom-up BMP, and GIF89a with a 6x6x6 colour cube whose LZW stream restarts before codes grow past 9 bits.
/// </summary>
internal static class SimpleImageWriters
{
    /// <summary>A 24-bit BITMAPINFOHEADER BMP of RGB pixels (HWC).</summary>
    public static byte[] Bmp(int width, int height, ReadOnlySpan<byte> rgb)
    {
        int stride = ((width * 3) + 3) & ~3;
        int pixelBytes = stride * height;
        var file = new byte[54 + pixelBytes];
        file[0] = (byte)'B';
        file[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(22), height); // positive: rows stored bottom-up
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(34), pixelBytes);
        for (int y = 0; y < height; y++)
        {
            int row = 54 + ((height - 1 - y) * stride);
            for (int x = 0; x < width; x++)
            {
                int src = ((y * width) + x) * 3;
                file[row + (3 * x)] = rgb[src + 2];
                file[row + (3 * x) + 1] = rgb[src + 1];
                file[row + (3 * x) + 2] = rgb[src];
            }
        }

        return file;
    }

    /// <summary>A single-frame GIF89a of RGB pixels quantised to a 6x6x6 colour cube (216 of 256 palette entries).</summary>
    public static byte[] Gif(int width, int height, ReadOnlySpan<byte> rgb)
    {
        using var file = new MemoryStream();
        file.Write("GIF89a"u8);
        Span<byte> word = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(word, (ushort)width);
        file.Write(word);
        BinaryPrimitives.WriteUInt16LittleEndian(word, (ushort)height);
        file.Write(word);
        file.Write([0xF7, 0, 0]); // global colour table of 2^(7+1) entries, 8 bits per primary
        for (int i = 0; i < 256; i++)
        {
            int cube = Math.Min(i, 215);
            file.Write([(byte)(cube / 36 * 51), (byte)(cube / 6 % 6 * 51), (byte)(cube % 6 * 51)]);
        }

        file.Write([0x2C, 0, 0, 0, 0]); // image descriptor at (0, 0)
        BinaryPrimitives.WriteUInt16LittleEndian(word, (ushort)width);
        file.Write(word);
        BinaryPrimitives.WriteUInt16LittleEndian(word, (ushort)height);
        file.Write(word);
        file.WriteByte(0); // no local table, not interlaced
        file.WriteByte(8); // LZW minimum code size
        WriteSubBlocks(file, Lzw(rgb));
        file.WriteByte(0x3B);
        return file.ToArray();
    }

    /// <summary>
    /// Encodes palette indices as 9-bit codes with no dictionary growth: after every 254 literals a clear code resets
    /// the decoder's table before it would widen codes to 10 bits. Valid LZW, just uncompressed.
    /// </summary>
    private static byte[] Lzw(ReadOnlySpan<byte> rgb)
    {
        const int Clear = 256, End = 257;
        var bits = new List<byte>();
        int buffer = 0, count = 0;
        void Emit(int code)
        {
            buffer |= code << count;
            count += 9;
            while (count >= 8)
            {
                bits.Add((byte)buffer);
                buffer >>= 8;
                count -= 8;
            }
        }

        Emit(Clear);
        for (int p = 0, run = 0; p < rgb.Length / 3; p++, run++)
        {
            if (run == 254)
            {
                Emit(Clear);
                run = 0;
            }

            int r = (rgb[3 * p] + 25) / 51, g = (rgb[(3 * p) + 1] + 25) / 51, b = (rgb[(3 * p) + 2] + 25) / 51;
            Emit((r * 36) + (g * 6) + b);
        }

        Emit(End);
        if (count > 0)
        {
            bits.Add((byte)buffer);
        }

        return [.. bits];
    }

    private static void WriteSubBlocks(Stream stream, byte[] data)
    {
        for (int at = 0; at < data.Length; at += 255)
        {
            int length = Math.Min(255, data.Length - at);
            stream.WriteByte((byte)length);
            stream.Write(data, at, length);
        }

        stream.WriteByte(0);
    }
}

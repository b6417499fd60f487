namespace TransferKit.Data.Decoding;

/// <summary>
/// Run-length decoding of 8-bit (RLE8) and 4-bit (RLE4) BMPs, straight into RGB (no index plane). Pixels the stream
/// skips (delta moves, early line or bitmap ends) keep palette entry 0, as Pillow leaves them.
/// </summary>
internal static class BmpRle
{
    /// <summary>Decodes the RLE stream <paramref name="data"/> into <paramref name="rgb"/> through <paramref name="palette"/>.</summary>
    /// <exception cref="ImageDecodeException">The stream ends before its end-of-bitmap code.</exception>
    public static void Decode(ReadOnlySpan<byte> data, BmpHeader h, byte[] palette, byte[] rgb, string source)
    {
        bool four = h.BitCount == 4;
        int w = h.Width, height = h.Height;
        FillWithFirstEntry(rgb, palette);
        int x = 0, y = 0; // y counts rows from the bottom, as stored
        int pos = 0;
        while (true)
        {
            if (pos + 2 > data.Length)
            {
                throw new ImageDecodeException(source, ImageDecodeFailure.Truncated, "BMP RLE data ends before its end-of-bitmap code");
            }

            int count = data[pos];
            int value = data[pos + 1];
            pos += 2;
            if (count > 0)
            {
                for (int i = 0; i < count; i++, x++)
                {
                    Put(rgb, palette, w, height, x, y, four ? (i % 2 == 0 ? value >> 4 : value & 0xF) : value);
                }

                continue;
            }

            switch (value)
            {
                case 0: // end of line
                    x = 0;
                    y++;
                    break;
                case 1: // end of bitmap
                    return;
                case 2: // delta: move right and up
                    if (pos + 2 > data.Length)
                    {
                        throw new ImageDecodeException(source, ImageDecodeFailure.Truncated, "BMP RLE data ends inside a delta code");
                    }

                    x += data[pos];
                    y += data[pos + 1];
                    pos += 2;
                    break;
                default: // absolute run of `value` pixels, padded to a 16-bit boundary
                    int bytes = four ? (value + 1) / 2 : value;
                    if (pos + bytes > data.Length)
                    {
                        throw new ImageDecodeException(source, ImageDecodeFailure.Truncated, "BMP RLE data ends inside an absolute run");
                    }

                    for (int i = 0; i < value; i++, x++)
                    {
                        int b = data[pos + (four ? i / 2 : i)];
                        Put(rgb, palette, w, height, x, y, four ? (i % 2 == 0 ? b >> 4 : b & 0xF) : b);
                    }

                    pos += (bytes + 1) & ~1;
                    break;
            }

            if (y >= height)
            {
                // Past the top row: nothing more can be drawn; treat it as the end of the bitmap.
                return;
            }
        }
    }

    private static void Put(byte[] rgb, byte[] palette, int w, int height, int x, int y, int index)
    {
        if (x < w && y < height)
        {
            int o = (((height - 1 - y) * w) + x) * 3;
            rgb[o] = palette[index * 3];
            rgb[o + 1] = palette[(index * 3) + 1];
            rgb[o + 2] = palette[(index * 3) + 2];
        }
    }

    private static void FillWithFirstEntry(byte[] rgb, byte[] palette)
    {
        if (palette[0] == palette[1] && palette[1] == palette[2])
        {
            rgb.AsSpan().Fill(palette[0]);
            return;
        }

        ReadOnlySpan<byte> entry = palette.AsSpan(0, 3);
        for (int i = 0; i < rgb.Length; i += 3)
        {
            entry.CopyTo(rgb.AsSpan(i, 3));
        }
    }
}

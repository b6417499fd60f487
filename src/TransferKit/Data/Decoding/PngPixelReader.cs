namespace TransferKit.Data.Decoding;

/// <summary>
/// Turns inflated PNG scanlines into RGB, streaming: undoes the row filters pass by pass, then expands each pixel's samples
/// (any bit depth and colour type) into 8-bit R, G, B at its place in the full image.
/// </summary>
internal static class PngPixelReader
{
    /// <summary>
    /// Reads the inflated image data (all passes, each row prefixed by its filter byte) from <paramref name="inflated"/>
    /// row by row into <paramref name="rgb"/>. Only two rows are held at a time, so memory follows the data actually
    /// inflated rather than the size the header claims.
    /// </summary>
    /// <exception cref="ImageDecodeException">The data ends early (Truncated) or a row has an unknown filter type.</exception>
    /// <exception cref="InvalidDataException">The zlib stream is corrupt.</exception>
    public static void Reconstruct(Stream inflated, PngHeader header, byte[]? palette, byte[] rgb, string source)
    {
        int maxRow = 1 + (int)PngLayout.RowBytes(header.Width, header.BitsPerPixel);
        var rows = new RowPair(new byte[maxRow], new byte[maxRow]);
        if (!header.Interlaced)
        {
            ReconstructPass(inflated, rows, header, palette, rgb, source, new PassGeometry(0, 0, 1, 1, header.Width, header.Height));
            return;
        }

        ReadOnlySpan<byte> passes = PngLayout.Adam7;
        for (int p = 0; p < 7; p++)
        {
            int x0 = passes[p * 4], y0 = passes[(p * 4) + 1], dx = passes[(p * 4) + 2], dy = passes[(p * 4) + 3];
            int w = PngLayout.PassExtent(header.Width, x0, dx);
            int h = PngLayout.PassExtent(header.Height, y0, dy);
            if (w == 0 || h == 0)
            {
                continue; // empty passes have no rows, not even filter bytes
            }

            ReconstructPass(inflated, rows, header, palette, rgb, source, new PassGeometry(x0, y0, dx, dy, w, h));
        }
    }

    /// <summary>Expands one reconstructed row of <paramref name="count"/> pixels into RGB, every <paramref name="step"/> pixels.</summary>
    internal static void ExpandRow(ReadOnlySpan<byte> row, PngHeader header, byte[]? palette, Span<byte> rgb, int count, int step)
    {
        int depth = header.BitDepth;
        int outStep = step * 3;
        if (header.ColorType == PngColorType.Rgb && depth == 8 && step == 1)
        {
            row[..(count * 3)].CopyTo(rgb);
            return;
        }

        switch (header.ColorType)
        {
            case PngColorType.Gray when depth < 8:
            {
                int scale = 255 / ((1 << depth) - 1);
                for (int i = 0, o = 0; i < count; i++, o += outStep)
                {
                    byte v = (byte)(PackedSample(row, i, depth) * scale);
                    rgb[o] = v;
                    rgb[o + 1] = v;
                    rgb[o + 2] = v;
                }

                break;
            }

            case PngColorType.Palette:
            {
                int entries = palette!.Length / 3;
                for (int i = 0, o = 0; i < count; i++, o += outStep)
                {
                    int index = depth == 8 ? row[i] : PackedSample(row, i, depth);
                    // An index past the palette is an encoder bug; black is what libpng-based viewers show for it.
                    if (index < entries)
                    {
                        rgb[o] = palette[index * 3];
                        rgb[o + 1] = palette[(index * 3) + 1];
                        rgb[o + 2] = palette[(index * 3) + 2];
                    }
                    else
                    {
                        rgb[o] = rgb[o + 1] = rgb[o + 2] = 0;
                    }
                }

                break;
            }

            default:
            {
                // 8 and 16-bit: read each sample's first (high) byte; gray and gray+alpha replicate the gray sample.
                int bytesPerSample = depth / 8;
                int samples = PngLayout.SamplesPerPixel(header.ColorType);
                int pixelBytes = samples * bytesPerSample;
                bool color = header.ColorType is PngColorType.Rgb or PngColorType.Rgba;
                for (int i = 0, s = 0, o = 0; i < count; i++, s += pixelBytes, o += outStep)
                {
                    if (color)
                    {
                        rgb[o] = row[s];
                        rgb[o + 1] = row[s + bytesPerSample];
                        rgb[o + 2] = row[s + (2 * bytesPerSample)];
                    }
                    else
                    {
                        rgb[o] = rgb[o + 1] = rgb[o + 2] = row[s];
                    }
                }

                break;
            }
        }
    }

    private static void ReconstructPass(
        Stream inflated, RowPair rows, PngHeader header, byte[]? palette, byte[] rgb, string source, PassGeometry pass)
    {
        int rowBytes = (int)PngLayout.RowBytes(pass.Width, header.BitsPerPixel);
        int bpp = header.FilterStride;
        byte[] current = rows.First, previous = rows.Second;
        for (int r = 0; r < pass.Height; r++)
        {
            Span<byte> line = current.AsSpan(0, 1 + rowBytes);
            if (inflated.ReadAtLeast(line, line.Length, throwOnEndOfStream: false) < line.Length)
            {
                throw new ImageDecodeException(source, ImageDecodeFailure.Truncated, "PNG image data ends before the last row");
            }

            int filter = line[0];
            Span<byte> row = line[1..];
            ReadOnlySpan<byte> above = r == 0 ? default : previous.AsSpan(1, rowBytes);
            if (!PngFilters.Unfilter(filter, row, above, bpp))
            {
                throw new ImageDecodeException(source, ImageDecodeFailure.Undecodable, $"PNG row uses unknown filter type {filter}");
            }

            int y = pass.Y0 + (r * pass.StepY);
            int start = ((y * header.Width) + pass.X0) * 3;
            ExpandRow(row, header, palette, rgb.AsSpan(start), pass.Width, pass.StepX);
            (current, previous) = (previous, current);
        }
    }

    /// <summary>The <paramref name="index"/>-th sample of <paramref name="depth"/> bits (1, 2 or 4), most significant bits first.</summary>
    private static int PackedSample(ReadOnlySpan<byte> row, int index, int depth)
    {
        int bit = index * depth;
        int shift = 8 - depth - (bit & 7);
        return (row[bit >> 3] >> shift) & ((1 << depth) - 1);
    }

    /// <summary>Two row buffers, each long enough for a full-width row and its filter byte.</summary>
    private readonly record struct RowPair(byte[] First, byte[] Second);

    /// <summary>Where a pass's pixels go: first column and row, steps, and its size in pixels.</summary>
    private readonly record struct PassGeometry(int X0, int Y0, int StepX, int StepY, int Width, int Height);
}

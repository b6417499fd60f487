namespace TransferKit.Data.Decoding;

/// <summary>PNG geometry shared by the decoder and the encoder: samples per colour type, row sizes, Adam7 passes.</summary>
internal static class PngLayout
{
    /// <summary>The 8-byte PNG signature.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Adam7 passes as (first column, first row, column step, row step), in pass order.</summary>
    public static ReadOnlySpan<byte> Adam7 => [0, 0, 8, 8, 4, 0, 8, 8, 0, 4, 4, 8, 2, 0, 4, 4, 0, 2, 2, 4, 1, 0, 2, 2, 0, 1, 1, 2];

    /// <summary>Samples per pixel for a colour type, or 0 for an invalid one.</summary>
    public static int SamplesPerPixel(PngColorType colorType) => colorType switch
    {
        PngColorType.Gray => 1,
        PngColorType.Rgb => 3,
        PngColorType.Palette => 1,
        PngColorType.GrayAlpha => 2,
        PngColorType.Rgba => 4,
        _ => 0,
    };

    /// <summary>True when the specification allows <paramref name="bitDepth"/> for <paramref name="colorType"/>.</summary>
    public static bool IsValidDepth(PngColorType colorType, int bitDepth) => colorType switch
    {
        PngColorType.Gray => bitDepth is 1 or 2 or 4 or 8 or 16,
        PngColorType.Palette => bitDepth is 1 or 2 or 4 or 8,
        PngColorType.Rgb or PngColorType.GrayAlpha or PngColorType.Rgba => bitDepth is 8 or 16,
        _ => false,
    };

    /// <summary>Bytes in one scanline of <paramref name="width"/> pixels, without the filter byte.</summary>
    public static long RowBytes(long width, int bitsPerPixel) => ((width * bitsPerPixel) + 7) / 8;

    /// <summary>Pixels a pass covers along an axis of <paramref name="size"/> pixels.</summary>
    public static int PassExtent(int size, int start, int step) => size <= start ? 0 : ((size - start) + step - 1) / step;

    /// <summary>Filter-byte-prefixed bytes of the whole image data (all passes when interlaced).</summary>
    public static long RawLength(int width, int height, int bitsPerPixel, bool interlaced)
    {
        if (!interlaced)
        {
            return height * (1 + RowBytes(width, bitsPerPixel));
        }

        long total = 0;
        ReadOnlySpan<byte> passes = Adam7;
        for (int p = 0; p < 7; p++)
        {
            int w = PassExtent(width, passes[p * 4], passes[(p * 4) + 2]);
            int h = PassExtent(height, passes[(p * 4) + 1], passes[(p * 4) + 3]);
            if (w > 0 && h > 0)
            {
                total += h * (1 + RowBytes(w, bitsPerPixel));
            }
        }

        return total;
    }
}

namespace TransferKit.Data.Decoding;

/// <summary>The five PNG scanline filters (None, Sub, Up, Average, Paeth), undone in place or applied into a buffer.</summary>
internal static class PngFilters
{
    /// <summary>Undoes filter <paramref name="type"/> on <paramref name="row"/> in place. Returns false for an unknown type.</summary>
    /// <param name="type">The filter byte that preceded the row.</param>
    /// <param name="row">The filtered bytes; reconstructed on return.</param>
    /// <param name="previous">The reconstructed previous row of the same pass, or empty for the first row.</param>
    /// <param name="bpp">Bytes per complete pixel, at least 1.</param>
    public static bool Unfilter(int type, Span<byte> row, ReadOnlySpan<byte> previous, int bpp)
    {
        bool hasPrevious = !previous.IsEmpty;
        switch (type)
        {
            case 0:
                return true;
            case 1:
                for (int i = bpp; i < row.Length; i++)
                {
                    row[i] += row[i - bpp];
                }

                return true;
            case 2:
                if (hasPrevious)
                {
                    for (int i = 0; i < row.Length; i++)
                    {
                        row[i] += previous[i];
                    }
                }

                return true;
            case 3:
                for (int i = 0; i < row.Length; i++)
                {
                    int left = i >= bpp ? row[i - bpp] : 0;
                    int up = hasPrevious ? previous[i] : 0;
                    row[i] += (byte)((left + up) >> 1);
                }

                return true;
            case 4:
                for (int i = 0; i < row.Length; i++)
                {
                    int left = i >= bpp ? row[i - bpp] : 0;
                    int up = hasPrevious ? previous[i] : 0;
                    int upLeft = hasPrevious && i >= bpp ? previous[i - bpp] : 0;
                    row[i] += (byte)Paeth(left, up, upLeft);
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>Writes <paramref name="row"/> filtered with <paramref name="type"/> into <paramref name="output"/> (same length).</summary>
    public static void Filter(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bpp, Span<byte> output)
    {
        bool hasPrevious = !previous.IsEmpty;
        for (int i = 0; i < row.Length; i++)
        {
            int left = i >= bpp ? row[i - bpp] : 0;
            int up = hasPrevious ? previous[i] : 0;
            int upLeft = hasPrevious && i >= bpp ? previous[i - bpp] : 0;
            int predictor = type switch
            {
                0 => 0,
                1 => left,
                2 => up,
                3 => (left + up) >> 1,
                4 => Paeth(left, up, upLeft),
                _ => throw new ArgumentOutOfRangeException(nameof(type), type, "PNG filter types are 0..4."),
            };
            output[i] = (byte)(row[i] - predictor);
        }
    }

    /// <summary>The Paeth predictor: whichever of left, up, up-left is closest to left + up - upLeft (ties in that order).</summary>
    public static int Paeth(int left, int up, int upLeft)
    {
        int p = left + up - upLeft;
        int pa = Math.Abs(p - left);
        int pb = Math.Abs(p - up);
        int pc = Math.Abs(p - upLeft);
        if (pa <= pb && pa <= pc)
        {
            return left;
        }

        return pb <= pc ? up : upLeft;
    }
}

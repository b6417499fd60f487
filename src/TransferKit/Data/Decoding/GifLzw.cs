namespace TransferKit.Data.Decoding;

/// <summary>
/// The variable-width LZW decoder GIF uses: codes of minCodeSize + 1 up to 12 bits, least significant bit first,
/// packed in length-prefixed sub-blocks, with clear and end-of-information codes.
/// </summary>
internal static class GifLzw
{
    private const int MaxCodes = 4096;

    /// <summary>
    /// Decodes the sub-blocks starting at <paramref name="pos"/> into <paramref name="output"/> and returns how many
    /// indices were written (at most its length). <paramref name="dataEnded"/> is true when the input ran out before
    /// an end-of-information code or a full image.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> data, int pos, int minCodeSize, Span<byte> output, out bool dataEnded)
    {
        int clear = 1 << minCodeSize;
        int end = clear + 1;
        Span<short> prefix = stackalloc short[MaxCodes];
        Span<byte> suffix = stackalloc byte[MaxCodes];
        Span<byte> first = stackalloc byte[MaxCodes];
        Span<byte> stack = stackalloc byte[MaxCodes + 1];
        for (int i = 0; i < clear; i++)
        {
            prefix[i] = -1;
            suffix[i] = (byte)i;
            first[i] = (byte)i;
        }

        int codeSize = minCodeSize + 1;
        int next = clear + 2;
        int previous = -1;
        int written = 0;
        uint bits = 0;
        int bitCount = 0;
        int blockLeft = 0;
        dataEnded = false;
        while (written < output.Length)
        {
            while (bitCount < codeSize)
            {
                if (blockLeft == 0)
                {
                    if (pos >= data.Length || data[pos] == 0)
                    {
                        dataEnded = pos >= data.Length;
                        return written;
                    }

                    blockLeft = data[pos++];
                }

                if (pos >= data.Length)
                {
                    dataEnded = true;
                    return written;
                }

                bits |= (uint)data[pos++] << bitCount;
                bitCount += 8;
                blockLeft--;
            }

            int code = (int)(bits & ((1u << codeSize) - 1));
            bits >>= codeSize;
            bitCount -= codeSize;

            if (code == clear)
            {
                codeSize = minCodeSize + 1;
                next = clear + 2;
                previous = -1;
                continue;
            }

            if (code == end)
            {
                return written;
            }

            if (previous < 0)
            {
                if (code >= clear)
                {
                    return written; // corrupt: the first code after a clear must be a literal
                }

                output[written++] = (byte)code;
                previous = code;
                continue;
            }

            if (code > next || (code == next && next >= MaxCodes))
            {
                return written; // corrupt: a code that is not yet defined
            }

            // code == next is the KwKwK case: the string is previous's string plus its own first byte.
            int emit = code == next ? previous : code;
            int depth = 0;
            if (code == next)
            {
                stack[depth++] = first[previous];
            }

            for (int c = emit; c >= 0; c = prefix[c])
            {
                stack[depth++] = suffix[c];
            }

            while (depth > 0 && written < output.Length)
            {
                output[written++] = stack[--depth];
            }

            if (next < MaxCodes)
            {
                prefix[next] = (short)previous;
                suffix[next] = first[emit];
                first[next] = first[previous];
                next++;
                if (next == 1 << codeSize && codeSize < 12)
                {
                    codeSize++;
                }
            }

            previous = code;
        }

        return written;
    }
}

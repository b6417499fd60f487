using System.Buffers.Binary;

namespace TransferKit.Tests.Data.Decoding;

/// <summary>Byte-level surgery on encoded JPEGs: add or remove segments, patch the frame header, multiply scans.</summary>
internal static class JpegTestTools
{
    /// <summary>An APP1 Exif segment whose IFD0 holds only Orientation (tag 0x0112, SHORT) = <paramref name="orientation"/>.</summary>
    public static byte[] ExifSegment(int orientation, bool littleEndian)
    {
        // TIFF: byte order, 42, IFD0 offset 8; IFD0: one entry, then a zero "next IFD" offset.
        byte[] tiff = new byte[8 + 2 + 12 + 4];
        void U16(int at, int v)
        {
            if (littleEndian)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at), (ushort)v);
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(at), (ushort)v);
            }
        }

        void U32(int at, uint v)
        {
            if (littleEndian)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at), v);
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(at), v);
            }
        }

        tiff[0] = tiff[1] = (byte)(littleEndian ? 'I' : 'M');
        U16(2, 42);
        U32(4, 8);
        U16(8, 1);
        U16(10, 0x0112);
        U16(12, 3);
        U32(14, 1);
        U16(18, orientation);
        U32(22, 0);
        return Segment(0xE1, [.. "Exif\0\0"u8, .. tiff]);
    }

    /// <summary>A marker segment FF <paramref name="marker"/> with its length field and <paramref name="payload"/>.</summary>
    public static byte[] Segment(byte marker, byte[] payload)
    {
        byte[] s = new byte[4 + payload.Length];
        s[0] = 0xFF;
        s[1] = marker;
        BinaryPrimitives.WriteUInt16BigEndian(s.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(s, 4);
        return s;
    }

    /// <summary>Inserts <paramref name="segment"/> right after SOI (and after a JFIF APP0 if present, as cameras do).</summary>
    public static byte[] InsertAfterSoi(byte[] jpeg, byte[] segment)
    {
        int at = 2;
        if (jpeg[2] == 0xFF && jpeg[3] == 0xE0)
        {
            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(4));
        }

        return [.. jpeg.AsSpan(0, at), .. segment, .. jpeg.AsSpan(at)];
    }

    /// <summary>Removes the JFIF APP0 segment that directly follows SOI.</summary>
    public static byte[] StripApp0(byte[] jpeg)
    {
        Assert.True(jpeg[2] == 0xFF && jpeg[3] == 0xE0, "expected APP0 after SOI");
        int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(4));
        return [.. jpeg.AsSpan(0, 2), .. jpeg.AsSpan(2 + 2 + length)];
    }

    /// <summary>Overwrites the frame header's declared size.</summary>
    public static byte[] PatchFrameSize(byte[] jpeg, int width, int height)
    {
        byte[] copy = (byte[])jpeg.Clone();
        int sof = FindMarker(copy, m => m is 0xC0 or 0xC1 or 0xC2);
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(sof + 5), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(sof + 7), (ushort)width);
        return copy;
    }

    /// <summary>Appends <paramref name="extra"/> copies of the last scan (SOS header plus its data) before EOI.</summary>
    public static byte[] RepeatLastScan(byte[] jpeg, int extra)
    {
        int lastSos = -1;
        for (int i = 2; i < jpeg.Length - 1; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xDA)
            {
                lastSos = i;
            }
        }

        int eoi = jpeg.Length - 2;
        Assert.True(jpeg[eoi] == 0xFF && jpeg[eoi + 1] == 0xD9);
        var result = new List<byte>(jpeg.AsSpan(0, eoi).ToArray());
        for (int k = 0; k < extra; k++)
        {
            result.AddRange(jpeg.AsSpan(lastSos, eoi - lastSos).ToArray());
        }

        result.Add(0xFF);
        result.Add(0xD9);
        return [.. result];
    }

    /// <summary>Counts FF DA (start of scan) markers by a plain byte search (entropy data never contains FF DA).</summary>
    public static int CountScans(byte[] jpeg)
    {
        int count = 0;
        for (int i = 0; i < jpeg.Length - 1; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xDA)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The offset of the first FF xx marker after SOI whose xx matches <paramref name="match"/>.</summary>
    public static int FindMarker(byte[] jpeg, Func<byte, bool> match)
    {
        for (int i = 2; i < jpeg.Length - 1; i++)
        {
            if (jpeg[i] == 0xFF && match(jpeg[i + 1]))
            {
                return i;
            }
        }

        throw new InvalidOperationException("marker not found");
    }
}

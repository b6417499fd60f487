using System.Buffers.Binary;

namespace TransferKit.Data.Decoding;

/// <summary>
/// Walks a JPEG's marker segments and entropy-coded data in one linear pass, without decoding. It counts scans
/// (so a file with thousands of progressive scans is refused before libjpeg spends a minute on it), reads the
/// frame header, and notes the Adobe APP14 and Exif APP1 segments.
/// </summary>
internal static class JpegMarkerReader
{
    private const byte Soi = 0xD8;
    private const byte Eoi = 0xD9;
    private const byte Sos = 0xDA;
    private const byte App1 = 0xE1;
    private const byte App14 = 0xEE;

    /// <summary>Reads <paramref name="data"/> (which starts FF D8) and stops counting scans past <paramref name="maxScans"/>.</summary>
    public static JpegStreamInfo Read(ReadOnlySpan<byte> data, int maxScans)
    {
        var info = new JpegStreamInfo();
        int pos = 2;
        while (true)
        {
            int marker = NextMarker(data, ref pos);
            if (marker < 0)
            {
                info.EndedInsideSegment = info.ScanCount == 0;
                return info;
            }

            if (marker == Eoi)
            {
                info.HasEndOfImage = true;
                return info;
            }

            // Standalone markers carry no length: RSTn outside a scan, TEM, and a stray SOI.
            if (marker is (>= 0xD0 and <= 0xD7) or 0x01 or Soi)
            {
                continue;
            }

            if (pos + 2 > data.Length)
            {
                info.EndedInsideSegment = true;
                return info;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(pos, 2));
            if (length < 2 || pos + length > data.Length)
            {
                info.EndedInsideSegment = pos + length > data.Length;
                return info;
            }

            ReadOnlySpan<byte> payload = data.Slice(pos + 2, length - 2);
            switch (marker)
            {
                case App1 when info.ExifOffset < 0 && payload.StartsWith("Exif\0\0"u8):
                    info.ExifOffset = pos + 2 + 6;
                    info.ExifLength = payload.Length - 6;
                    break;
                case App14 when payload.Length >= 12 && payload.StartsWith("Adobe"u8):
                    info.HasAdobeMarker = true;
                    info.AdobeTransform = payload[11];
                    break;
                case >= 0xC0 and <= 0xCF when marker is not (0xC4 or 0xC8 or 0xCC) && !info.HasFrame:
                    if (payload.Length < 6)
                    {
                        return info;
                    }

                    info.HasFrame = true;
                    info.FrameMarker = (byte)marker;
                    info.Precision = payload[0];
                    info.Height = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(1, 2));
                    info.Width = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(3, 2));
                    info.Components = payload[5];
                    info.Sampling = ReadSampling(payload);
                    break;
                default:
                    break;
            }

            pos += length;
            if (marker == Sos)
            {
                info.ScanCount++;
                if (info.ScanCount > maxScans)
                {
                    return info;
                }

                pos = SkipEntropyCodedData(data, pos);
            }
        }
    }

    /// <summary>Each component's sampling factors (high nibble horizontal, low nibble vertical), or empty when cut off.</summary>
    private static byte[] ReadSampling(ReadOnlySpan<byte> frame)
    {
        int components = frame[5];
        if (frame.Length < 6 + (3 * components))
        {
            return [];
        }

        byte[] sampling = new byte[components];
        for (int i = 0; i < components; i++)
        {
            sampling[i] = frame[6 + (3 * i) + 1];
        }

        return sampling;
    }

    /// <summary>
    /// Finds the next marker at or after <paramref name="pos"/>, skipping stray bytes (libjpeg warns about them and
    /// carries on) and 0xFF fill bytes. Returns the marker byte with <paramref name="pos"/> just past it, or -1 at the end.
    /// </summary>
    private static int NextMarker(ReadOnlySpan<byte> data, ref int pos)
    {
        while (pos < data.Length)
        {
            int ff = data[pos..].IndexOf((byte)0xFF);
            if (ff < 0)
            {
                break;
            }

            int p = pos + ff;
            while (p + 1 < data.Length && data[p + 1] == 0xFF)
            {
                p++;
            }

            if (p + 1 >= data.Length)
            {
                break;
            }

            byte marker = data[p + 1];
            pos = p + 2;
            if (marker != 0)
            {
                return marker;
            }
        }

        pos = data.Length;
        return -1;
    }

    /// <summary>
    /// Returns the offset of the first marker after entropy-coded data starting at <paramref name="pos"/>: FF 00 is a
    /// stuffed data byte and FF D0..D7 are restart markers inside the scan, neither ends it.
    /// </summary>
    private static int SkipEntropyCodedData(ReadOnlySpan<byte> data, int pos)
    {
        while (pos < data.Length)
        {
            int ff = data[pos..].IndexOf((byte)0xFF);
            if (ff < 0)
            {
                return data.Length;
            }

            int p = pos + ff;
            while (p + 1 < data.Length && data[p + 1] == 0xFF)
            {
                p++;
            }

            if (p + 1 >= data.Length)
            {
                return data.Length;
            }

            byte next = data[p + 1];
            if (next == 0 || next is >= 0xD0 and <= 0xD7)
            {
                pos = p + 2;
                continue;
            }

            return p;
        }

        return data.Length;
    }
}

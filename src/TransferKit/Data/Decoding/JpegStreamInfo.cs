namespace TransferKit.Data.Decoding;

/// <summary>
/// What a quick walk over a JPEG's markers found, before any pixel is decoded: enough to apply the resource guards
/// (<see cref="ImageDecodeOptions"/>) and to find the EXIF orientation without trusting the codec with hostile input.
/// </summary>
internal sealed class JpegStreamInfo
{
    /// <summary>True once a start-of-frame (SOFn) segment was read.</summary>
    public bool HasFrame { get; set; }

    /// <summary>The SOFn marker byte (0xC0 baseline, 0xC1 extended, 0xC2 progressive, ...).</summary>
    public byte FrameMarker { get; set; }

    /// <summary>Sample precision in bits (8 for almost every file; 12 and 16 exist).</summary>
    public int Precision { get; set; }

    /// <summary>Declared width in pixels.</summary>
    public int Width { get; set; }

    /// <summary>Declared height in pixels (0 means "given later by a DNL marker").</summary>
    public int Height { get; set; }

    /// <summary>Number of colour components (1 gray, 3 YCbCr/RGB, 4 CMYK/YCCK).</summary>
    public int Components { get; set; }

    /// <summary>Each component's sampling factors from the frame header (high nibble horizontal, low nibble vertical).</summary>
    public byte[] Sampling { get; set; } = [];

    /// <summary>
    /// Bytes of the whole-image DCT coefficient buffer libjpeg allocates (outside the managed heap) for progressive and
    /// multi-scan JPEGs: 64 two-byte coefficients per 8x8 block of every component, at the component's own resolution.
    /// Components without valid sampling factors count at full resolution.
    /// </summary>
    public long CoefficientBytes
    {
        get
        {
            int hMax = 1, vMax = 1;
            foreach (byte f in Sampling)
            {
                hMax = Math.Max(hMax, f >> 4);
                vMax = Math.Max(vMax, f & 0xF);
            }

            long total = 0;
            for (int i = 0; i < Components; i++)
            {
                int h = i < Sampling.Length && Sampling[i] >> 4 is > 0 and var hs ? hs : hMax;
                int v = i < Sampling.Length && (Sampling[i] & 0xF) is > 0 and var vs ? vs : vMax;
                // Blocks are counted over whole MCUs, as libjpeg pads each component to a multiple of the MCU.
                long mcuCols = (Width + (8L * hMax) - 1) / (8L * hMax);
                long mcuRows = (Height + (8L * vMax) - 1) / (8L * vMax);
                total += mcuCols * h * mcuRows * v * 64 * 2;
            }

            return total;
        }
    }

    /// <summary>Start-of-scan markers seen; counting stops one past the caller's limit.</summary>
    public int ScanCount { get; set; }

    /// <summary>True when the end-of-image marker (FF D9) was reached.</summary>
    public bool HasEndOfImage { get; set; }

    /// <summary>True when the data ended inside a marker segment or before any scan.</summary>
    public bool EndedInsideSegment { get; set; }

    /// <summary>True when an Adobe APP14 segment was present.</summary>
    public bool HasAdobeMarker { get; set; }

    /// <summary>The Adobe APP14 colour transform byte (0 none/CMYK, 1 YCbCr, 2 YCCK), or -1 without the marker.</summary>
    public int AdobeTransform { get; set; } = -1;

    /// <summary>Offset of the TIFF header inside the first APP1 "Exif\0\0" segment, or -1 when there is none.</summary>
    public int ExifOffset { get; set; } = -1;

    /// <summary>Length of the TIFF data at <see cref="ExifOffset"/>.</summary>
    public int ExifLength { get; set; }

    /// <summary>True for progressive frames (SOF2, SOF6, SOF10, SOF14).</summary>
    public bool IsProgressive => FrameMarker is 0xC2 or 0xC6 or 0xCA or 0xCE;

    /// <summary>True for lossless frames (SOF3, SOF7, SOF11, SOF15), which libjpeg-turbo 2.x cannot decode.</summary>
    public bool IsLossless => FrameMarker is 0xC3 or 0xC7 or 0xCB or 0xCF;

    /// <summary>True for hierarchical (differential) frames (SOF5-7, SOF13-15), which libjpeg cannot decode.</summary>
    public bool IsHierarchical => FrameMarker is 0xC5 or 0xC6 or 0xC7 or 0xCD or 0xCE or 0xCF;
}

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

namespace TransferKit.Data.Decoding;

/// <summary>PNG colour types (the IHDR byte). The numeric values are the PNG specification's.</summary>
public enum PngColorType
{
    /// <summary>Grayscale: one sample per pixel, bit depth 1, 2, 4, 8 or 16.</summary>
    Gray = 0,

    /// <summary>Truecolour: R, G, B samples, bit depth 8 or 16.</summary>
    Rgb = 2,

    /// <summary>Indexed: one palette index per pixel (PLTE chunk), bit depth 1, 2, 4 or 8.</summary>
    Palette = 3,

    /// <summary>Grayscale with alpha: two samples per pixel, bit depth 8 or 16.</summary>
    GrayAlpha = 4,

    /// <summary>Truecolour with alpha: R, G, B, A samples, bit depth 8 or 16.</summary>
    Rgba = 6,
}

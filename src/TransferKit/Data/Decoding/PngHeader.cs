namespace TransferKit.Data.Decoding;

/// <summary>The IHDR facts the pixel reader needs.</summary>
internal sealed record PngHeader(int Width, int Height, int BitDepth, PngColorType ColorType, bool Interlaced)
{
    /// <summary>Bits per complete pixel.</summary>
    public int BitsPerPixel => BitDepth * PngLayout.SamplesPerPixel(ColorType);

    /// <summary>The filter's byte distance to the "left" pixel: bytes per pixel, at least 1.</summary>
    public int FilterStride => Math.Max(1, BitsPerPixel / 8);
}

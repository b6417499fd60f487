namespace TransferKit.Data.Decoding;

/// <summary>
/// Converts the CMYK samples libjpeg produces for CMYK and YCCK JPEGs to RGB the way Pillow does
/// (<c>Image.open(f).convert("RGB")</c>), so decoded pixels match what PyTorch pipelines saw.
/// </summary>
/// <remarks>
/// Pillow reads every 4-component JPEG with Adobe polarity ("CMYK;I": it inverts the samples, since Photoshop and
/// libjpeg with an Adobe APP14 marker store 255 for "no ink"), whether or not the APP14 marker is present; we do the
/// same, because CMYK JPEGs without it are vanishingly rare and matching Pillow matters more. Pillow's naive
/// CMYK to RGB is then R = (255 - K') - (C' * (255 - K')) / 255 on the re-inverted ink values C', K' with rounded
/// division; substituting the stored samples (C' = 255 - c, 255 - K' = k) that is what <see cref="Convert"/> computes.
/// No ICC profile is applied (neither does Pillow without ImageCms).
/// </remarks>
internal static class CmykConverter
{
    /// <summary>Converts <paramref name="cmyk"/> (4 bytes per pixel as stored) into <paramref name="rgb"/> (3 per pixel).</summary>
    public static void Convert(ReadOnlySpan<byte> cmyk, Span<byte> rgb)
    {
        int pixels = cmyk.Length / 4;
        if (rgb.Length < pixels * 3)
        {
            throw new ArgumentException("RGB buffer too small.", nameof(rgb));
        }

        for (int i = 0, s = 0, d = 0; i < pixels; i++, s += 4, d += 3)
        {
            int notInkK = cmyk[s + 3];
            rgb[d] = Channel(cmyk[s], notInkK);
            rgb[d + 1] = Channel(cmyk[s + 1], notInkK);
            rgb[d + 2] = Channel(cmyk[s + 2], notInkK);
        }
    }

    /// <summary>One channel: (255 - K') minus the ink (255 - stored) scaled by (255 - K'), divided by 255 with rounding.</summary>
    internal static byte Channel(int stored, int notInkK)
    {
        int ink = 255 - stored;
        int t = (ink * notInkK) + 128;
        int scaled = ((t >> 8) + t) >> 8;
        int v = notInkK - scaled;
        return (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
}

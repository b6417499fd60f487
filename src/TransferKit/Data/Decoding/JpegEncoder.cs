using System.Runtime.InteropServices;

namespace TransferKit.Data.Decoding;

/// <summary>
/// Writes JPEG files through TurboJPEG (tjCompress2), for tests, demos and caches. Colour images use 4:2:0 chroma
/// subsampling unless told otherwise; output carries a JFIF APP0 marker and no EXIF.
/// </summary>
public static unsafe class JpegEncoder
{
    /// <summary>Encodes <paramref name="image"/> as a colour JPEG.</summary>
    /// <param name="image">The pixels to encode.</param>
    /// <param name="quality">libjpeg quality, 1 (smallest) to 100 (best).</param>
    /// <param name="progressive">Write a progressive JPEG (TJFLAG_PROGRESSIVE) instead of baseline.</param>
    /// <param name="subsampleChroma">True for 4:2:0 chroma subsampling (the common default), false for 4:4:4.</param>
    /// <returns>The complete JPEG file.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="quality"/> is outside 1..100.</exception>
    /// <exception cref="NativeLibraryMissingException">libturbojpeg is not installed.</exception>
    public static byte[] Encode(DecodedImage image, int quality = 90, bool progressive = false, bool subsampleChroma = true)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Encode(image.Width, image.Height, image.Pixels, quality, progressive, subsampleChroma);
    }

    /// <summary>Encodes RGB pixels (3 bytes per pixel, row-major, no padding) as a colour JPEG.</summary>
    /// <param name="width">Columns, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="rgb">width * height * 3 bytes.</param>
    /// <param name="quality">libjpeg quality, 1 (smallest) to 100 (best).</param>
    /// <param name="progressive">Write a progressive JPEG instead of baseline.</param>
    /// <param name="subsampleChroma">True for 4:2:0 chroma subsampling, false for 4:4:4.</param>
    /// <returns>The complete JPEG file.</returns>
    /// <exception cref="ArgumentException">The buffer length does not match the size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or <paramref name="quality"/> is out of range.</exception>
    /// <exception cref="NativeLibraryMissingException">libturbojpeg is not installed.</exception>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> rgb, int quality = 90, bool progressive = false, bool subsampleChroma = true) =>
        Compress(width, height, rgb, 3, TurboJpegNative.PixelFormatRgb,
            subsampleChroma ? TurboJpegNative.Subsampling420 : TurboJpegNative.Subsampling444, quality, progressive);

    /// <summary>Encodes 8-bit gray pixels (1 byte per pixel, row-major) as a single-component grayscale JPEG.</summary>
    /// <param name="width">Columns, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="gray">width * height bytes.</param>
    /// <param name="quality">libjpeg quality, 1 (smallest) to 100 (best).</param>
    /// <param name="progressive">Write a progressive JPEG instead of baseline.</param>
    /// <returns>The complete JPEG file.</returns>
    /// <exception cref="ArgumentException">The buffer length does not match the size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or <paramref name="quality"/> is out of range.</exception>
    /// <exception cref="NativeLibraryMissingException">libturbojpeg is not installed.</exception>
    public static byte[] EncodeGray(int width, int height, ReadOnlySpan<byte> gray, int quality = 90, bool progressive = false) =>
        Compress(width, height, gray, 1, TurboJpegNative.PixelFormatGray, TurboJpegNative.SubsamplingGray, quality, progressive);

    /// <summary>
    /// Encodes CMYK samples (4 bytes per pixel, Adobe polarity: 255 = no ink) as a YCCK JPEG, as TurboJPEG does for
    /// TJPF_CMYK input. Internal: only tests need CMYK files.
    /// </summary>
    internal static byte[] EncodeCmyk(int width, int height, ReadOnlySpan<byte> cmyk, int quality = 90) =>
        Compress(width, height, cmyk, 4, TurboJpegNative.PixelFormatCmyk, TurboJpegNative.Subsampling444, quality, progressive: false);

    private static byte[] Compress(
        int width, int height, ReadOnlySpan<byte> pixels, int channels, int pixelFormat, int subsampling, int quality, bool progressive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        if (pixels.Length != (long)width * height * channels)
        {
            throw new ArgumentException($"Expected {(long)width * height * channels} bytes for {width}x{height}x{channels}, got {pixels.Length}.", nameof(pixels));
        }

        using TurboJpegHandle handle = TurboJpegHandle.CreateCompressor();
        TurboJpegNative.Api api = handle.Api;
        byte* output = null;
        CULong size = default;
        try
        {
            int flags = progressive ? TurboJpegNative.FlagProgressive : 0;
            int rc;
            fixed (byte* src = pixels)
            {
                rc = api.Compress2(handle.Value, src, width, width * channels, height, pixelFormat, &output, &size, subsampling, quality, flags);
            }

            if (rc != 0)
            {
                throw new TransferKitException($"JPEG encoding of {width}x{height} failed: {handle.LastError().Message}");
            }

            return new ReadOnlySpan<byte>(output, checked((int)size.Value)).ToArray();
        }
        finally
        {
            if (output != null)
            {
                api.Free(output);
            }
        }
    }
}

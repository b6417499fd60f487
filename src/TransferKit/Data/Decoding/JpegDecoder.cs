using System.Runtime.InteropServices;

namespace TransferKit.Data.Decoding;

/// <summary>
/// Decodes JPEG through libjpeg-turbo's TurboJPEG API: baseline, progressive, grayscale, CMYK/YCCK, with optional
/// DCT-domain downscaling and EXIF orientation. Every guard is checked from the marker walk before pixels are allocated.
/// </summary>
internal static unsafe class JpegDecoder
{
    /// <summary>Decodes <paramref name="data"/> (sniffed as JPEG) to RGB.</summary>
    /// <exception cref="ImageDecodeException">The data is truncated, corrupt, too large or an unsupported variant.</exception>
    /// <exception cref="NativeLibraryMissingException">libturbojpeg is not installed.</exception>
    public static DecodedImage Decode(ReadOnlySpan<byte> data, string source, ImageDecodeOptions options)
    {
        JpegStreamInfo info = JpegMarkerReader.Read(data, options.MaxProgressiveScans);
        CheckStream(info, source, options);

        if (!info.HasEndOfImage)
        {
            // A single scan missing only its EOI is common (and complete); decode it with EOI restored, so that a
            // genuinely cut scan still ends in libjpeg's "premature end of data segment" warning. With several scans
            // we cannot tell a finished progressive file from one cut between scans (which decodes silently blurred).
            if (info.ScanCount > 1)
            {
                throw Fail(source, ImageDecodeFailure.Truncated, $"data ends after {info.ScanCount} scans without an end-of-image marker");
            }

            byte[] completed = new byte[data.Length + 2];
            data.CopyTo(completed);
            completed[^2] = 0xFF;
            completed[^1] = 0xD9;
            try
            {
                return DecodeChecked(completed, source, options, info);
            }
            catch (ImageDecodeException ex) when (ex.Failure == ImageDecodeFailure.Undecodable)
            {
                // A file that lacks its end marker and also trips libjpeg was cut: say so, whatever libjpeg noticed first.
                throw new ImageDecodeException(source, ImageDecodeFailure.Truncated,
                    $"JPEG data ends without an end-of-image marker, and libjpeg reports: {ex.Reason}", ex);
            }
        }

        return DecodeChecked(data, source, options, info);
    }

    /// <summary>
    /// Chooses the TurboJPEG scaling factor for <paramref name="minimumSize"/>: the smallest factor at most 1 whose
    /// scaled width and height (rounded up, as libjpeg does) are both at least <paramref name="minimumSize"/>; 1/1 when
    /// none qualifies (the image is already small) or no minimum is given.
    /// </summary>
    internal static TurboJpegNative.ScalingFactor ChooseScale(
        int width, int height, int? minimumSize, IReadOnlyList<TurboJpegNative.ScalingFactor> factors)
    {
        var best = new TurboJpegNative.ScalingFactor(1, 1);
        if (minimumSize is not int min)
        {
            return best;
        }

        foreach (TurboJpegNative.ScalingFactor f in factors)
        {
            bool reduces = f.Num < f.Denom;
            bool smallerThanBest = (long)f.Num * best.Denom < (long)best.Num * f.Denom;
            if (reduces && smallerThanBest && f.Scale(width) >= min && f.Scale(height) >= min)
            {
                best = f;
            }
        }

        return best;
    }

    private static void CheckStream(JpegStreamInfo info, string source, ImageDecodeOptions options)
    {
        if (!info.HasFrame)
        {
            throw info.EndedInsideSegment || !info.HasEndOfImage
                ? Fail(source, ImageDecodeFailure.Truncated, "JPEG data ends before its frame header")
                : Fail(source, ImageDecodeFailure.Undecodable, "JPEG has no frame header (SOF)");
        }

        if (info.IsLossless || info.IsHierarchical)
        {
            throw Fail(source, ImageDecodeFailure.Unsupported, $"JPEG process SOF{info.FrameMarker - 0xC0} is not supported by libjpeg-turbo 2.x");
        }

        if (info.Precision != 8)
        {
            throw Fail(source, ImageDecodeFailure.Unsupported, $"{info.Precision}-bit JPEG samples are not supported (only 8-bit)");
        }

        if (info.Width == 0 || info.Height == 0)
        {
            throw Fail(source, ImageDecodeFailure.Unsupported, $"JPEG declares {info.Width}x{info.Height} (a height given by a DNL marker is not supported)");
        }

        if (info.Components is not (1 or 3 or 4))
        {
            throw Fail(source, ImageDecodeFailure.Unsupported, $"JPEG with {info.Components} components is not supported");
        }

        ImageDecoder.CheckPixelCount(info.Width, info.Height, source, options);

        if (info.ScanCount > options.MaxProgressiveScans)
        {
            throw Fail(source, ImageDecodeFailure.TooLarge,
                $"JPEG has more than {options.MaxProgressiveScans} scans (MaxProgressiveScans); decoding it could take minutes");
        }

        if (info.ScanCount == 0)
        {
            throw info.HasEndOfImage
                ? Fail(source, ImageDecodeFailure.Undecodable, "JPEG has no scan data")
                : Fail(source, ImageDecodeFailure.Truncated, "JPEG data ends before its first scan");
        }
    }

    private static DecodedImage DecodeChecked(ReadOnlySpan<byte> data, string source, ImageDecodeOptions options, JpegStreamInfo info)
    {
        TurboJpegHandle handle = TurboJpegHandle.ForDecompression();
        bool failed = true;
        try
        {
            DecodedImage image = DecodeWith(ref handle, data, source, options, info, out failed);
            return image;
        }
        finally
        {
            // Any error can leave libjpeg mid-state; never reuse such a handle (see TurboJpegHandle).
            if (failed)
            {
                TurboJpegHandle.Retire(handle);
            }
        }
    }

    private static DecodedImage DecodeWith(
        ref TurboJpegHandle handle, ReadOnlySpan<byte> data, string source, ImageDecodeOptions options, JpegStreamInfo info, out bool failed)
    {
        failed = true;
        fixed (byte* jpeg = data)
        {
            (int width, int height, bool cmyk) = ReadHeader(ref handle, jpeg, data.Length, source, info);
            ImageDecoder.CheckPixelCount(width, height, source, options);

            TurboJpegNative.ScalingFactor scale = ChooseScale(width, height, options.MinimumSize, handle.Api.ScalingFactors);
            int outW = scale.Scale(width);
            int outH = scale.Scale(height);
            int channels = cmyk ? 4 : 3;
            int pixelFormat = cmyk ? TurboJpegNative.PixelFormatCmyk : TurboJpegNative.PixelFormatRgb;
            int orientation = options.ApplyExifOrientation && info.ExifOffset >= 0
                ? ExifOrientation.Parse(data.Slice(info.ExifOffset, info.ExifLength))
                : ExifOrientation.Normal;
            ReserveMemory(data.Length, (long)outW * outH, channels, orientation, info, source, options);

            // Gray JPEGs decode straight to TJPF_RGB: libjpeg's gray-to-RGB conversion replicates the sample into R, G
            // and B, exactly Pillow's convert("RGB") from "L".
            // TurboJPEG writes every byte, so the large buffer need not be zeroed first.
            byte[] raw = GC.AllocateUninitializedArray<byte>(outW * outH * channels);
            bool warned;
            fixed (byte* dst = raw)
            {
                warned = RunDecompress(ref handle, jpeg, data.Length, dst, outW, outH, channels, pixelFormat, source);
            }

            byte[] rgb = raw;
            if (cmyk)
            {
                rgb = GC.AllocateUninitializedArray<byte>(outW * outH * 3);
                CmykConverter.Convert(raw, rgb);
            }

            var image = ExifOrientation.Apply(new DecodedImage(outW, outH, rgb, ImageFormat.Jpeg, width, height), orientation);
            failed = warned;
            return image;
        }
    }

    /// <summary>
    /// Reads width, height and colour model. When TurboJPEG cannot name the chroma subsampling (CMYK with subsampled
    /// channels, unusual sampling factors), the frame header we already walked gives them instead: decompression does not
    /// need that name, since libjpeg upsamples any sampling factors itself.
    /// </summary>
    private static (int Width, int Height, bool Cmyk) ReadHeader(ref TurboJpegHandle handle, byte* jpeg, int length, string source, JpegStreamInfo info)
    {
        TurboJpegNative.Api api = handle.Api;
        int width, height, subsampling, colorspace;
        if (api.DecompressHeader3(handle.Value, jpeg, new CULong((nuint)length), &width, &height, &subsampling, &colorspace) == 0)
        {
            return (width, height, colorspace is TurboJpegNative.ColorspaceCmyk or TurboJpegNative.ColorspaceYcck);
        }

        (string message, bool isWarning) = handle.LastError();
        // libjpeg is not reset after a header error (see TurboJpegHandle): decompress on a fresh handle.
        TurboJpegHandle.Retire(handle);
        handle = TurboJpegHandle.ForDecompression();
        if (!isWarning && JpegWarningPolicy.IsUnknownSubsampling(message))
        {
            return (info.Width, info.Height, info.Components == 4);
        }

        ImageDecodeFailure? failure = isWarning ? JpegWarningPolicy.Classify(message) : JpegWarningPolicy.ClassifyFatal(message);
        if (failure is ImageDecodeFailure f)
        {
            throw Fail(source, f, $"JPEG header: {message}");
        }

        return (width, height, colorspace is TurboJpegNative.ColorspaceCmyk or TurboJpegNative.ColorspaceYcck);
    }

    /// <summary>Applies the memory guards to everything the decode will hold at once (see <see cref="ImageDecodeOptions.MaxDecodeBytes"/>).</summary>
    private static void ReserveMemory(
        long encodedBytes, long pixels, int channels, int orientation, JpegStreamInfo info, string source, ImageDecodeOptions options)
    {
        long outputBytes = pixels * 3;
        long peak = encodedBytes + (pixels * channels);
        if (channels == 4)
        {
            peak += outputBytes; // CMYK samples, then the RGB converted from them
        }

        if (orientation != ExifOrientation.Normal)
        {
            peak += outputBytes; // the rotated copy
        }

        if (info.IsProgressive || info.ScanCount > 1)
        {
            peak += info.CoefficientBytes; // libjpeg buffers every coefficient of a multi-scan image, at full resolution
        }

        ImageDecoder.CheckArrayLength(pixels * channels, source);
        DecodeBudget.Reserve(peak, outputBytes, encodedBytes, source, options);
    }

    /// <summary>Decompresses into <paramref name="dst"/>; returns true when a tolerated warning was reported.</summary>
    private static bool RunDecompress(
        ref TurboJpegHandle handle, byte* jpeg, int length, byte* dst, int outW, int outH, int channels, int pixelFormat, string source)
    {
        TurboJpegNative.Api api = handle.Api;
        var size = new CULong((nuint)length);
        int pitch = outW * channels;
        // Every pass stops at the first warning, so corrupt data fails fast instead of being decoded to grey.
        int flags = TurboJpegNative.FlagStopOnWarning | TurboJpegNative.FlagLimitScans;
        if (api.Decompress2(handle.Value, jpeg, size, dst, outW, pitch, outH, pixelFormat, flags) == 0)
        {
            return false;
        }

        (string message, bool isWarning) = handle.LastError();
        if (!isWarning)
        {
            throw Fail(source, JpegWarningPolicy.ClassifyFatal(message), message);
        }

        if (JpegWarningPolicy.Classify(message) is ImageDecodeFailure failure)
        {
            throw Fail(source, failure, message);
        }

        // Only stray bytes before the end marker get here: every scan was read without a warning, and libjpeg reads
        // nothing after that marker, so no later warning can hide behind this one. Decode again to the end, on a fresh
        // handle; that pass must report the same warning or none.
        TurboJpegHandle.Retire(handle);
        handle = TurboJpegHandle.ForDecompression();
        if (api.Decompress2(handle.Value, jpeg, size, dst, outW, pitch, outH, pixelFormat, TurboJpegNative.FlagLimitScans) == 0)
        {
            return false;
        }

        (message, isWarning) = handle.LastError();
        ImageDecodeFailure? last = isWarning ? JpegWarningPolicy.Classify(message) : JpegWarningPolicy.ClassifyFatal(message);
        if (last is ImageDecodeFailure f)
        {
            throw Fail(source, f, message);
        }

        return true;
    }

    private static ImageDecodeException Fail(string source, ImageDecodeFailure failure, string reason) => new(source, failure, reason);
}

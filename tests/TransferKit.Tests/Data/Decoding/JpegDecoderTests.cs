using System.Diagnostics;
using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Data.Decoding;

public class JpegDecoderTests
{
    [Theory]
    [InlineData(64, 48, false)]
    [InlineData(61, 37, false)]
    [InlineData(61, 37, true)]
    [InlineData(1, 1, false)]
    [InlineData(200, 9, true)]
    public void EncodeDecodeRoundTripIsClose(int width, int height, bool progressive)
    {
        byte[] rgb = ImageTestData.SmoothRgb(width, height);
        byte[] jpeg = JpegEncoder.Encode(width, height, rgb, quality: 90, progressive: progressive);
        Assert.Equal(progressive ? 0xC2 : 0xC0, FrameMarker(jpeg));
        DecodedImage image = ImageDecoder.Decode(jpeg, "rt.jpg");
        Assert.Equal((width, height), (image.Width, image.Height));
        Assert.Equal(ImageFormat.Jpeg, image.SourceFormat);
        Assert.False(image.IsScaled);
        double psnr = ImageTestData.Psnr(rgb, image.Pixels);
        Assert.True(psnr > DecodingTolerances.JpegQuality90MinPsnr, $"PSNR {psnr:F1} dB");
    }

    [Fact]
    public void ProgressiveAndBaselineOfSamePixelsDecodeAlike()
    {
        byte[] rgb = ImageTestData.SmoothRgb(80, 60);
        byte[] baseline = ImageDecoder.Decode(JpegEncoder.Encode(80, 60, rgb, 95), "b.jpg").Pixels;
        byte[] progressive = ImageDecoder.Decode(JpegEncoder.Encode(80, 60, rgb, 95, progressive: true), "p.jpg").Pixels;
        // Same quantised coefficients, only the entropy coding differs: pixels are identical.
        Assert.Equal(baseline, progressive);
    }

    [Fact]
    public void GrayscaleJpegExpandsToEqualChannels()
    {
        byte[] gray = new byte[40 * 30];
        for (int i = 0; i < gray.Length; i++)
        {
            gray[i] = (byte)(i * 7);
        }

        foreach (bool progressive in new[] { false, true })
        {
            byte[] jpeg = JpegEncoder.EncodeGray(40, 30, gray, 90, progressive);
            DecodedImage image = ImageDecoder.Decode(jpeg, "g.jpg");
            Assert.Equal((40, 30), (image.Width, image.Height));
            for (int p = 0; p < 40 * 30; p++)
            {
                Assert.Equal(image.Pixels[p * 3], image.Pixels[(p * 3) + 1]);
                Assert.Equal(image.Pixels[p * 3], image.Pixels[(p * 3) + 2]);
            }
        }
    }

    [Theory]
    [InlineData("photo.jpg")]
    [InlineData("photo_progressive.jpg")]
    [InlineData("gray.jpg")]
    [InlineData("cmyk.jpg")]
    [InlineData("cmyk_420.jpg")]
    [InlineData("orientation6.jpg")]
    public void MatchesPillowDecodeOfCommittedFixture(string name)
    {
        // Each .rgb is Pillow 9.4's Image.open(f).convert("RGB") (after exif_transpose for orientation6); see make_images.py.
        byte[] expected = ImageTestData.ReadFixture(Path.ChangeExtension(name, ".rgb"));
        DecodedImage image = ImageDecoder.Decode(ImageTestData.Fixture(name));
        Assert.Equal(expected.Length, image.Pixels.Length);
        int diff = ImageTestData.MaxDifference(expected, image.Pixels);
        Assert.True(diff <= DecodingTolerances.SameLibjpegMaxDifference, $"{name}: max difference {diff}");
    }

    [Fact]
    public void CmykFixtureHasAdobeMarkerAndFourComponents()
    {
        JpegStreamInfo info = JpegMarkerReader.Read(ImageTestData.ReadFixture("cmyk.jpg"), 64);
        Assert.Equal(4, info.Components);
        Assert.True(info.HasAdobeMarker);
    }

    [Fact]
    public void YcckJpegDecodesThroughCmykConversion()
    {
        const int w = 32, h = 16;
        byte[] cmyk = new byte[w * h * 4];
        for (int p = 0; p < w * h; p++)
        {
            cmyk[p * 4] = (byte)(255 - (p % w * 4));  // cyan ink grows to the right
            cmyk[(p * 4) + 1] = 255;                    // no magenta
            cmyk[(p * 4) + 2] = (byte)(255 - (p / w * 8)); // yellow ink grows downwards
            cmyk[(p * 4) + 3] = 230;                    // a little black
        }

        byte[] jpeg = JpegEncoder.EncodeCmyk(w, h, cmyk, quality: 95);
        JpegStreamInfo info = JpegMarkerReader.Read(jpeg, 64);
        Assert.Equal(4, info.Components);
        Assert.Equal(2, info.AdobeTransform); // YCCK

        byte[] expected = new byte[w * h * 3];
        CmykConverter.Convert(cmyk, expected);
        DecodedImage image = ImageDecoder.Decode(jpeg, "ycck.jpg");
        double psnr = ImageTestData.Psnr(expected, image.Pixels);
        Assert.True(psnr > DecodingTolerances.JpegQuality90MinPsnr, $"PSNR {psnr:F1} dB");
    }

    [Fact]
    public void CmykChannelFollowsPillowFormula()
    {
        // No ink (stored 255, K stored 255) is white; full K ink (K stored 0) is black; stored c=0 (full cyan) with no K is R=0.
        Assert.Equal(255, CmykConverter.Channel(255, 255));
        Assert.Equal(0, CmykConverter.Channel(255, 0));
        Assert.Equal(0, CmykConverter.Channel(0, 255));
        Assert.Equal(128, CmykConverter.Channel(128, 255));
    }

    [Fact]
    public void TruncatedAtSixtyPercentIsTruncatedNeverGarbage()
    {
        byte[] rgb = ImageTestData.NoisyRgb(128, 96, seed: 3);
        foreach (bool progressive in new[] { false, true })
        {
            byte[] jpeg = JpegEncoder.Encode(128, 96, rgb, 90, progressive);
            byte[] cut = jpeg[..(jpeg.Length * 6 / 10)];
            ImageTestData.AssertFails(ImageDecodeFailure.Truncated, cut, name: progressive ? "cut-progressive.jpg" : "cut.jpg");
        }
    }

    [Fact]
    public void JunkBeforeTheScanThenTruncationIsTruncatedNeverGrey()
    {
        // Issue 12.6: junk before SOS made libjpeg's first warning the harmless "extraneous bytes before marker 0xda";
        // TurboJPEG keeps only that first text, so the later "premature end of data segment" went unseen and the cut
        // rows decoded silently to grey.
        byte[] jpeg = JpegEncoder.Encode(128, 96, ImageTestData.NoisyRgb(128, 96, seed: 7), 90);
        int sos = JpegTestTools.FindMarker(jpeg, m => m == 0xDA);
        byte[] junk = [.. jpeg[..sos], 0x00, 0x11, 0x22, .. jpeg[sos..]];
        byte[] cut = junk[..(junk.Length * 6 / 10)];
        ImageTestData.AssertFails(ImageDecodeFailure.Truncated, cut, name: "junk-cut.jpg");

        // The same cut with an end marker re-attached is still refused, now as corrupt data.
        byte[] cutWithEnd = [.. cut, 0xFF, 0xD9];
        var ex = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(cutWithEnd, "junk-cut-eoi.jpg"));
        Assert.True(ex.Failure is ImageDecodeFailure.Undecodable or ImageDecodeFailure.Truncated, ex.Message);
    }

    [Fact]
    public void JunkBeforeTheScanIsRefusedEvenWhenComplete()
    {
        // There is no lenient mode: the junk's warning would mask any later one (see JpegWarningPolicy).
        byte[] jpeg = JpegEncoder.Encode(32, 24, ImageTestData.SmoothRgb(32, 24));
        int sos = JpegTestTools.FindMarker(jpeg, m => m == 0xDA);
        byte[] junk = [.. jpeg[..sos], 0x00, 0x11, .. jpeg[sos..]];
        ImageTestData.AssertFails(ImageDecodeFailure.Undecodable, junk, name: "junk.jpg");
    }

    [Fact]
    public void TruncatedInsideHeadersIsTruncated()
    {
        byte[] jpeg = JpegEncoder.Encode(16, 16, ImageTestData.SmoothRgb(16, 16));
        ImageTestData.AssertFails(ImageDecodeFailure.Truncated, jpeg[..40], name: "head.jpg");
        ImageTestData.AssertFails(ImageDecodeFailure.Truncated, jpeg[..3], name: "soi.jpg");
    }

    [Fact]
    public void MissingOnlyTheEndMarkerStillDecodesCompletely()
    {
        byte[] rgb = ImageTestData.NoisyRgb(48, 40, seed: 5);
        byte[] jpeg = JpegEncoder.Encode(48, 40, rgb, 90);
        byte[] full = ImageDecoder.Decode(jpeg, "full.jpg").Pixels;
        Assert.Equal(full, ImageDecoder.Decode(jpeg[..^2], "noeoi.jpg").Pixels);
    }

    [Fact]
    public void StrayBytesBeforeEndMarkerAreTolerated()
    {
        // "Corrupt JPEG data: N extraneous bytes before marker 0xd9" is cosmetic; Pillow and browsers show such files.
        byte[] jpeg = JpegEncoder.Encode(32, 24, ImageTestData.SmoothRgb(32, 24));
        byte[] withJunk = [.. jpeg[..^2], 0x12, 0x34, 0x56, 0xFF, 0xD9];
        Assert.Equal(ImageDecoder.Decode(jpeg, "a.jpg").Pixels, ImageDecoder.Decode(withJunk, "junk.jpg").Pixels);
    }

    [Fact]
    public void TrailingGarbageAfterEndMarkerIsIgnored()
    {
        byte[] jpeg = JpegEncoder.Encode(32, 24, ImageTestData.SmoothRgb(32, 24));
        byte[] padded = [.. jpeg, .. new byte[100]];
        Assert.Equal(ImageDecoder.Decode(jpeg, "a.jpg").Pixels, ImageDecoder.Decode(padded, "pad.jpg").Pixels);
    }

    [Fact]
    public void TooManyScansIsRefusedBeforeDecoding()
    {
        byte[] progressive = JpegEncoder.Encode(64, 64, ImageTestData.SmoothRgb(64, 64), 90, progressive: true);
        int scans = JpegTestTools.CountScans(progressive);
        Assert.InRange(scans, 3, 20);
        ImageTestData.AssertFails(ImageDecodeFailure.TooLarge, progressive, new ImageDecodeOptions { MaxProgressiveScans = scans - 1 });
        Assert.Equal(64, ImageDecoder.Decode(progressive, "ok.jpg", new ImageDecodeOptions { MaxProgressiveScans = scans }).Width);

        // Default limit 64: a stream with 500 scans is refused by the marker walk, long before libjpeg would run.
        byte[] many = JpegTestTools.RepeatLastScan(progressive, 500);
        var watch = Stopwatch.StartNew();
        ImageDecodeException ex = ImageTestData.AssertFails(ImageDecodeFailure.TooLarge, many, name: "scans.jpg");
        Assert.Contains("MaxProgressiveScans", ex.Message, StringComparison.Ordinal);
        Assert.True(watch.ElapsedMilliseconds < 1000, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void HugeDeclaredSizeFailsFastWithoutAllocating()
    {
        byte[] jpeg = JpegTestTools.PatchFrameSize(JpegEncoder.Encode(16, 16, ImageTestData.SmoothRgb(16, 16)), 65535, 65535);
        ImageTestData.AssertFails(ImageDecodeFailure.TooLarge, jpeg, name: "bomb.jpg");
        long allocated = ImageTestData.AllocatedBy(() => Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(jpeg, "bomb.jpg")));
        Assert.True(allocated < DecodingTolerances.GuardMaxAllocatedBytes, $"allocated {allocated} bytes");
    }

    [Fact]
    public void ExifOnlyJpegWithoutJfifDecodes()
    {
        byte[] rgb = ImageTestData.SmoothRgb(24, 16);
        byte[] jpeg = JpegEncoder.Encode(24, 16, rgb, 90);
        byte[] exifOnly = JpegTestTools.InsertAfterSoi(JpegTestTools.StripApp0(jpeg), JpegTestTools.ExifSegment(1, littleEndian: true));
        Assert.False(exifOnly[3] == 0xE0);
        Assert.Equal(ImageDecoder.Decode(jpeg, "jfif.jpg").Pixels, ImageDecoder.Decode(exifOnly, "exif.jpg").Pixels);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Orientation6RotatesAsymmetricPatternClockwise(bool littleEndian)
    {
        // Stored 32 wide x 16 high; orientation 6 means "rotate 90 degrees clockwise to view": 16 wide x 32 high, with
        // the stored bottom-left (blue) at the top-left and the stored top-left (red) at the top-right.
        byte[] jpeg = JpegEncoder.Encode(32, 16, ImageTestData.Quadrants(32, 16), 95, subsampleChroma: false);
        byte[] rotated = JpegTestTools.InsertAfterSoi(jpeg, JpegTestTools.ExifSegment(6, littleEndian));
        Assert.Equal(6, ExifOrientation.ReadFromJpeg(rotated));

        DecodedImage image = ImageDecoder.Decode(rotated, "rot.jpg");
        Assert.Equal((16, 32), (image.Width, image.Height));
        Assert.Equal((16, 32), (image.OriginalWidth, image.OriginalHeight));
        AssertNear(ImageTestData.QuadrantColor(left: true, top: false), image.GetPixel(4, 8));    // blue
        AssertNear(ImageTestData.QuadrantColor(left: true, top: true), image.GetPixel(12, 8));    // red
        AssertNear(ImageTestData.QuadrantColor(left: false, top: false), image.GetPixel(4, 24));  // white
        AssertNear(ImageTestData.QuadrantColor(left: false, top: true), image.GetPixel(12, 24));  // green

        DecodedImage asStored = ImageDecoder.Decode(rotated, "rot.jpg", new ImageDecodeOptions { ApplyExifOrientation = false });
        Assert.Equal((32, 16), (asStored.Width, asStored.Height));
    }

    [Fact]
    public void ReusedThreadHandleGivesSameResultsAfterAnyKindOfDecode()
    {
        byte[] target = JpegEncoder.Encode(50, 40, ImageTestData.NoisyRgb(50, 40, 9), 85);
        byte[]? fresh = null;
        var thread = new Thread(() => fresh = ImageDecoder.Decode(target, "fresh.jpg").Pixels);
        thread.Start();
        thread.Join();

        byte[] big = JpegEncoder.Encode(400, 300, ImageTestData.SmoothRgb(400, 300), 80, progressive: true);
        ImageDecoder.Decode(big, "scaled.jpg", new ImageDecodeOptions { MinimumSize = 60 });
        ImageDecoder.Decode(ImageTestData.ReadFixture("cmyk.jpg"), "cmyk.jpg");
        ImageDecoder.Decode(ImageTestData.ReadFixture("gray.jpg"), "gray.jpg");
        Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(target[..(target.Length / 2)], "cut.jpg"));
        Assert.Equal(fresh, ImageDecoder.Decode(target, "reused.jpg").Pixels);
    }

    [Fact]
    public void HandleIsUsableAfterFatalHeaderError()
    {
        // libjpeg-turbo 2.1 leaves a decompressor mid-header after a fatal header error; the decoder must not reuse it.
        byte[] good = JpegEncoder.Encode(24, 16, ImageTestData.SmoothRgb(24, 16), 90);
        byte[] expected = ImageDecoder.Decode(good, "good.jpg").Pixels;
        byte[] bogus = (byte[])good.Clone();
        int dht = Enumerable.Range(2, bogus.Length - 3).First(i => bogus[i] == 0xFF && bogus[i + 1] == 0xC4);
        bogus.AsSpan(dht + 5, 16).Fill(0xFF); // code counts that overflow the code space: "Bogus Huffman table definition"
        ImageTestData.AssertFails(ImageDecodeFailure.Undecodable, bogus, name: "bogus.jpg");
        Assert.Equal(expected, ImageDecoder.Decode(good, "good-again.jpg").Pixels);
    }

    [Fact]
    public void DecodingOnManyThreadsGivesSameResults()
    {
        byte[][] files = Enumerable.Range(0, 8)
            .Select(i => JpegEncoder.Encode(40 + i, 30, ImageTestData.NoisyRgb(40 + i, 30, i), 85, progressive: i % 2 == 0))
            .ToArray();
        byte[][] sequential = files.Select(f => ImageDecoder.Decode(f, "s.jpg").Pixels).ToArray();
        var parallel = new byte[files.Length * 4][];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => parallel[i] = ImageDecoder.Decode(files[i % files.Length], "p.jpg").Pixels);
        for (int i = 0; i < parallel.Length; i++)
        {
            Assert.Equal(sequential[i % files.Length], parallel[i]);
        }
    }

    [Fact]
    public void EncoderValidatesArguments()
    {
        Assert.Throws<ArgumentException>(() => JpegEncoder.Encode(2, 2, new byte[11]));
        Assert.Throws<ArgumentOutOfRangeException>(() => JpegEncoder.Encode(2, 2, new byte[12], quality: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => JpegEncoder.Encode(0, 2, []));
    }

    [Fact]
    public void MissingLibraryMessageSaysWhatToInstall()
    {
        var ex = new NativeLibraryMissingException(TurboJpegNative.LibraryName, TurboJpegNative.InstallHint);
        Assert.Contains("apt-get install -y libturbojpeg0", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<TransferKitException>(ex);
        Assert.True(TurboJpegNative.IsAvailable);
    }

    private static void AssertNear((byte R, byte G, byte B) expected, (byte R, byte G, byte B) actual)
    {
        int error = Math.Max(Math.Abs(expected.R - actual.R), Math.Max(Math.Abs(expected.G - actual.G), Math.Abs(expected.B - actual.B)));
        Assert.True(error <= DecodingTolerances.FlatBlockMaxError, $"expected {expected}, got {actual}");
    }

    private static int FrameMarker(byte[] jpeg) => JpegMarkerReader.Read(jpeg, 64).FrameMarker;
}

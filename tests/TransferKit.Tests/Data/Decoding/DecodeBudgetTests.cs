using System.Buffers.Binary;
using System.IO.Compression;
using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Data.Decoding;

/// <summary>
/// Issue 12.8: decompression bombs under the pixel limit. Memory is measured as bytes allocated on the decoding thread
/// (deterministic), never as time.
/// </summary>
public class DecodeBudgetTests
{
    [Fact]
    public void Rle8BombOfSixtyBytesIsRefusedBeforeAllocating()
    {
        // 9000x9000 (81 megapixels, under MaxPixels) from one palette entry and an end-of-bitmap code: it used to
        // allocate 243 MB of RGB plus an 81 MB index plane.
        byte[] bomb = BmpTestWriter.Assemble(9000, 9000, 8, 40, 1, null, BmpTestWriter.Palette(1), [0, 1]);
        Assert.True(bomb.Length <= 60, $"{bomb.Length} bytes");
        long allocated = ImageTestData.AllocatedBy(() => ImageTestData.AssertFails(ImageDecodeFailure.TooLarge, bomb, name: "bomb.bmp"));
        Assert.True(allocated < DecodingTolerances.GuardMaxAllocatedBytes, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void RleSkippedPixelsTakeTheFirstPaletteEntryWhenTheRatioIsRaised()
    {
        // 600x600 is just over the 1 MiB the ratio never refuses; 60 bytes cannot vouch for it by default.
        byte[] bmp = BmpTestWriter.Assemble(600, 600, 8, 40, 1, null, BmpTestWriter.Palette(1), [0, 1]);
        ImageTestData.AssertFails(ImageDecodeFailure.TooLarge, bmp, name: "skip.bmp");
        DecodedImage image = ImageDecoder.Decode(bmp, "skip.bmp", new ImageDecodeOptions { MaxExpansionRatio = 1e6 });
        Assert.Equal(BmpTestWriter.PaletteColor(0), image.GetPixel(0, 0));
        Assert.Equal(BmpTestWriter.PaletteColor(0), image.GetPixel(599, 599));
    }

    [Fact]
    public void PngHeaderClaimingHugeSizeOverTinyDataIsRefusedBeforeAllocating()
    {
        // 9999x9999 RGB needs 300 MB of scanlines; 20 bytes of zlib cannot inflate to that (deflate tops out at 1032:1).
        byte[] png = Png(9999, 9999, ZlibOf(new byte[1000]));
        long allocated = ImageTestData.AllocatedBy(() => ImageTestData.AssertFails(ImageDecodeFailure.Truncated, png, name: "claim.png"));
        Assert.True(allocated < DecodingTolerances.GuardMaxAllocatedBytes, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void LargePngWithPlausibleDataIsRefusedByTheBudget()
    {
        // 290 KiB could hold 9999x9999 as far as deflate goes, but the 300 MB image exceeds the default 256 MiB budget.
        var random = new Random(1);
        byte[] idat = new byte[290 * 1024];
        random.NextBytes(idat);
        byte[] png = Png(9999, 9999, idat);
        long allocated = ImageTestData.AllocatedBy(() =>
        {
            ImageDecodeException ex = ImageTestData.AssertFails(ImageDecodeFailure.TooLarge, png, name: "big.png");
            Assert.Contains("MaxDecodeBytes", ex.Message, StringComparison.Ordinal);
        });
        Assert.True(allocated < DecodingTolerances.GuardMaxAllocatedBytes, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void PngExpandingAsFarAsDeflateAllowsDecodesWithinTheDefaultBudget()
    {
        // The worst a small PNG can ask within the defaults: 9000x9000 gray inflating at deflate's limit from about
        // 80 KB, and tripled into RGB. It used to hold the 81 MB of scanlines and the 243 MB result together.
        byte[] png = Png(9000, 9000, ZlibOf(new byte[9000 * 9001]), PngColorType.Gray);
        DecodedImage? image = null;
        long allocated = ImageTestData.AllocatedBy(() => image = ImageDecoder.Decode(png, "gray.png"));
        Assert.Equal((9000, 9000), (image!.Width, image.Height));
        Assert.True(allocated <= ImageDecodeOptions.Default.MaxDecodeBytes, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void PngInflatesRowByRowInsteadOfWhole()
    {
        // RGBA: the scanlines (4 bytes a pixel) are larger than the RGB result (3); only two rows of them may be held.
        const int w = 1024, h = 768;
        byte[] rgb = ImageTestData.SmoothRgb(w, h);
        byte[] rgba = new byte[w * h * 4];
        for (int p = 0; p < w * h; p++)
        {
            rgb.AsSpan(p * 3, 3).CopyTo(rgba.AsSpan(p * 4));
            rgba[(p * 4) + 3] = 255;
        }

        byte[] png = PngEncoder.Encode(w, h, rgba, PngColorType.Rgba);
        DecodedImage? image = null;
        long allocated = ImageTestData.AllocatedBy(() => image = ImageDecoder.Decode(png, "rgba.png"));
        Assert.Equal(rgb, image!.Pixels);
        long limit = rgb.Length + png.Length + (256 * 1024);
        Assert.True(allocated < limit, $"allocated {allocated:N0} bytes, limit {limit:N0}");
    }

    [Fact]
    public void GifFrameOnHugeScreenIsRefusedByTheRatio()
    {
        // A 1x1 frame on a 4000x4000 logical screen: 48 MB of background that no data describes.
        byte[] gif =
        [
            .. "GIF89a"u8, 0xA0, 0x0F, 0xA0, 0x0F, 0x80, 0, 0, 0, 0, 0, 255, 255, 255,
            0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0,
            2, 2, 0x44, 0x01, 0,
            0x3B,
        ];
        long allocated = ImageTestData.AllocatedBy(() => ImageTestData.AssertFails(ImageDecodeFailure.TooLarge, gif, name: "screen.gif"));
        Assert.True(allocated < DecodingTolerances.GuardMaxAllocatedBytes, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void ProgressiveJpegCountsLibjpegsCoefficientBuffer()
    {
        // 1024x1024 4:4:4: 3 MB of RGB either way, plus 6 MB of coefficients that libjpeg holds for a progressive file.
        byte[] rgb = ImageTestData.SmoothRgb(1024, 1024);
        var options = new ImageDecodeOptions { MaxDecodeBytes = 8L << 20 };
        byte[] baseline = JpegEncoder.Encode(1024, 1024, rgb, 90, progressive: false, subsampleChroma: false);
        byte[] progressive = JpegEncoder.Encode(1024, 1024, rgb, 90, progressive: true, subsampleChroma: false);
        long allocated = ImageTestData.AllocatedBy(() => ImageDecoder.Decode(baseline, "baseline.jpg", options));
        Assert.True(allocated <= options.MaxDecodeBytes, $"allocated {allocated:N0} bytes");
        ImageTestData.AssertFails(ImageDecodeFailure.TooLarge, progressive, options, "progressive.jpg");
    }

    [Fact]
    public void AllocationStaysWithinATightBudgetForEveryFormat()
    {
        var options = new ImageDecodeOptions { MaxDecodeBytes = 4L << 20 };
        byte[] rgb = ImageTestData.SmoothRgb(600, 400);
        byte[][] images =
        [
            PngEncoder.Encode(600, 400, rgb),
            JpegEncoder.Encode(600, 400, rgb, 90, progressive: true),
            BmpTestWriter.Uncompressed(600, 400, 24, (x, y) => (uint)(x * y)),
            ImageTestData.ReadFixture("interlaced.gif"),
        ];
        foreach (byte[] image in images)
        {
            long allocated = ImageTestData.AllocatedBy(() => ImageDecoder.Decode(image, "image", options));
            Assert.True(allocated <= options.MaxDecodeBytes, $"allocated {allocated:N0} bytes");
        }
    }

    /// <summary>A PNG of <paramref name="width"/> x <paramref name="height"/> 8-bit samples whose single IDAT holds <paramref name="idat"/>.</summary>
    private static byte[] Png(int width, int height, byte[] idat, PngColorType colorType = PngColorType.Rgb)
    {
        using var stream = new MemoryStream();
        stream.Write(PngLayout.Signature);
        byte[] ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = (byte)colorType;
        PngEncoder.WriteChunk(stream, "IHDR"u8, ihdr);
        PngEncoder.WriteChunk(stream, "IDAT"u8, idat);
        PngEncoder.WriteChunk(stream, "IEND"u8, []);
        return stream.ToArray();
    }

    private static byte[] ZlibOf(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        return output.ToArray();
    }
}

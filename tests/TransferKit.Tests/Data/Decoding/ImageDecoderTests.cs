using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Data.Decoding;

/// <summary>The "messy dataset folder" cases, through the file-path entry point.</summary>
public sealed class ImageDecoderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "transferkit-decoding-" + Guid.NewGuid().ToString("N"));

    public ImageDecoderTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ZeroByteJpgIsEmpty()
    {
        string path = Write("0.jpg", []);
        ImageDecodeException ex = AssertFileFails(ImageDecodeFailure.Empty, path);
        Assert.Equal(path + ": file is empty (0 bytes)", ex.Message);
        Assert.Equal(path, ex.Source);
    }

    [Fact]
    public void ThumbsDbIsUnknownFormat()
    {
        byte[] ole = new byte[1024];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(ole, 0);
        ImageDecodeException ex = AssertFileFails(ImageDecodeFailure.UnknownFormat, Write("Thumbs.db", ole));
        Assert.Contains("Thumbs.db", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlNamedJpgIsUnknownFormat()
    {
        ImageDecodeException ex = AssertFileFails(ImageDecodeFailure.UnknownFormat, Write("404.jpg", "<html><body>Not found</body></html>"u8.ToArray()));
        Assert.Contains("3C68746D", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherFormatsNamedJpgAreSniffedAndDecoded()
    {
        byte[] rgb = [10, 20, 30, 40, 50, 60];
        Assert.Equal(ImageFormat.Png, ImageDecoder.Decode(Write("png.jpg", PngEncoder.Encode(2, 1, rgb))).SourceFormat);
        Assert.Equal(rgb, ImageDecoder.Decode(Write("png2.jpg", PngEncoder.Encode(2, 1, rgb))).Pixels);
        Assert.Equal(ImageFormat.Bmp, ImageDecoder.Decode(Write("bmp.jpg", ImageTestData.ReadFixture("rgb24.bmp"))).SourceFormat);
        Assert.Equal(ImageFormat.Gif, ImageDecoder.Decode(Write("gif.jpg", ImageTestData.ReadFixture("interlaced.gif"))).SourceFormat);
        Assert.Equal(ImageFormat.Jpeg, ImageDecoder.Decode(Write("jpeg.png", ImageTestData.ReadFixture("photo.jpg"))).SourceFormat);
    }

    [Fact]
    public void RecognisedButUndecodedFormatsAreUnsupported()
    {
        byte[] webp = [.. "RIFF"u8, 100, 0, 0, 0, .. "WEBPVP8 "u8, .. new byte[100]];
        ImageDecodeException ex = AssertFileFails(ImageDecodeFailure.Unsupported, Write("webp.jpg", webp));
        Assert.Contains("WebP", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedJpegFileIsTruncated()
    {
        byte[] jpeg = JpegEncoder.Encode(96, 64, ImageTestData.NoisyRgb(96, 64, 11), 90);
        AssertFileFails(ImageDecodeFailure.Truncated, Write("cut.jpg", jpeg[..(jpeg.Length * 6 / 10)]));
    }

    [Fact]
    public void MissingFileOrDirectoryIsReadError()
    {
        AssertFileFails(ImageDecodeFailure.ReadError, Path.Combine(_folder, "missing.jpg"));
        AssertFileFails(ImageDecodeFailure.ReadError, _folder);
    }

    [Fact]
    public void FileSizeIsCheckedBeforeReading()
    {
        string path = Write("big.jpg", ImageTestData.ReadFixture("photo.jpg"));
        ImageDecodeException ex = AssertFileFails(ImageDecodeFailure.TooLarge, path, new ImageDecodeOptions { MaxFileBytes = 100 });
        Assert.Contains("MaxFileBytes", ex.Reason, StringComparison.Ordinal);
        ImageTestData.AssertFails(ImageDecodeFailure.TooLarge, ImageTestData.ReadFixture("photo.jpg"), new ImageDecodeOptions { MaxFileBytes = 100 });
    }

    [Fact]
    public void MaxPixelsAppliesToEveryFormat()
    {
        var tight = new ImageDecodeOptions { MaxPixels = 100 };
        ImageTestData.AssertFails(ImageDecodeFailure.TooLarge, ImageTestData.ReadFixture("photo.jpg"), tight, "a.jpg");
        ImageTestData.AssertFails(ImageDecodeFailure.TooLarge, PngEncoder.Encode(11, 10, new byte[330]), tight, "a.png");
        ImageTestData.AssertFails(ImageDecodeFailure.TooLarge, ImageTestData.ReadFixture("interlaced.gif"), tight, "a.gif");
        ImageTestData.AssertFails(ImageDecodeFailure.TooLarge, BmpTestWriter.Uncompressed(11, 10, 24, (_, _) => 0), tight, "a.bmp");
    }

    [Fact]
    public void EmptySpanIsEmpty() => ImageTestData.AssertFails(ImageDecodeFailure.Empty, [], name: "mem");

    [Fact]
    public void RandomCorruptionNeverEscapesUntyped()
    {
        // Flipping bytes anywhere in valid files must give an image or an ImageDecodeException, never another exception.
        byte[][] files =
        [
            ImageTestData.ReadFixture("photo.jpg"), ImageTestData.ReadFixture("interlaced.gif"),
            ImageTestData.ReadFixture("palette8.bmp"), PngEncoder.Encode(9, 7, ImageTestData.SmoothRgb(9, 7)),
            PngTestWriter.Write(9, 7, PngColorType.Palette, 4, PngTestWriter.RandomSamples(9, 7, PngColorType.Palette, 4, 1, 16), true,
                palette: new byte[48]),
        ];
        var random = new Random(1234);
        foreach (byte[] original in files)
        {
            for (int trial = 0; trial < 150; trial++)
            {
                byte[] data = (byte[])original.Clone();
                for (int k = 0; k < 1 + (trial % 4); k++)
                {
                    data[random.Next(data.Length)] = (byte)random.Next(256);
                }

                int cut = trial % 5 == 0 ? random.Next(1, data.Length) : data.Length;
                try
                {
                    ImageDecoder.Decode(data.AsSpan(0, cut), "fuzz");
                }
                catch (ImageDecodeException)
                {
                }
            }
        }
    }

    private string Write(string name, byte[] data)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, data);
        return path;
    }

    private static ImageDecodeException AssertFileFails(ImageDecodeFailure failure, string path, ImageDecodeOptions? options = null)
    {
        var ex = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path, options));
        Assert.True(ex.Failure == failure, $"expected {failure}, got {ex.Failure}: {ex.Message}");
        Assert.StartsWith(path + ": ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.SourceName);
        return ex;
    }
}

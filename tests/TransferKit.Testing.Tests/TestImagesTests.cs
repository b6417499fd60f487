using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Data.Synthetic;

namespace TransferKit.Testing.Tests;

public sealed class TestImagesTests
{
    /// <summary>
    /// Mean absolute difference per channel, in 0..255 levels, that tells a picture's quality-90 JPEG from another
    /// picture: JPEG smooths the sharp edges and pixel noise by about 9 levels on average (measured), while another
    /// index of the same class differs by about 65.
    /// </summary>
    private const double JpegMeanAbsoluteLevels = 20;

    [Fact]
    public void InMemoryIsBalancedInterleavedAndNamed()
    {
        var data = TestImages.InMemory(classes: 3, perClass: 4, size: 24, seed: 1);
        Assert.Equal(12, data.Count);
        Assert.Equal(["circle", "square", "triangle"], data.ClassNames);
        Assert.Equal([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], Enumerable.Range(0, 12).Select(data.GetLabel));
        Assert.Equal("triangle/1", data.GetSourceName(5));
        var image = data.Decode(5);
        Assert.Equal((24, 24), (image.Width, image.Height));
        Assert.Equal(TestImages.Render(label: 2, index: 1, size: 24, seed: 1).Pixels, image.Pixels);
    }

    [Fact]
    public void TheSameArgumentsGiveTheSamePixelsAndAnyOtherArgumentOthers()
    {
        byte[] reference = TestImages.Render(label: 1, index: 2, size: 32, seed: 5).Pixels;
        Assert.Equal(reference, TestImages.Render(1, 2, 32, 5).Pixels);
        Assert.NotEqual(reference, TestImages.Render(1, 2, 32, 6).Pixels);
        Assert.NotEqual(reference, TestImages.Render(1, 3, 32, 5).Pixels);
        Assert.NotEqual(reference, TestImages.Render(0, 2, 32, 5).Pixels);
    }

    [Fact]
    public void PngClassFoldersReadBackAsTheInMemoryPictures()
    {
        using var dir = new TempDirectory();
        var written = TestImages.WriteClassFolders(dir.Path, classes: 2, perClass: 12, size: 16, seed: 3);
        var data = ImageFileDataset.FromClassFolders(dir.Path);
        var memory = TestImages.InMemory(classes: 2, perClass: 12, size: 16, seed: 3);

        Assert.Equal(["circle", "square"], data.ClassNames);
        Assert.Equal(24, data.Count);
        Assert.Equal(written.Files, data.Paths);
        Assert.Equal(written.Labels, Enumerable.Range(0, data.Count).Select(data.GetLabel));
        Assert.Equal(Path.Combine(dir.Path, "square", "00.png"), written.Files[12]);
        for (int i = 0; i < data.Count; i++)
        {
            // File n of class c is sample n * classes + c of the interleaved in-memory set.
            int label = data.GetLabel(i), n = i % 12;
            Assert.Equal(memory.Decode((n * 2) + label).Pixels, data.Decode(i).Pixels);
        }
    }

    [Fact]
    public void OwnClassNamesNameTheFoldersAndKeepTheirShapes()
    {
        using var dir = new TempDirectory();
        var written = TestImages.WriteClassFolders(dir.Path, ["dog", "cat"], perClass: 2, seed: 9);
        Assert.Equal(["dog", "cat"], written.ClassNames);
        Assert.Equal(dir.Path, written.Root);
        Assert.Null(written.TestDirectory);

        // The reader sorts folders, so "cat" (drawn as shape 1) becomes label 0.
        var data = ImageFileDataset.FromClassFolders(dir.Path);
        Assert.Equal(["cat", "dog"], data.ClassNames);
        Assert.Equal(TestImages.Render(label: 1, index: 0, seed: 9).Pixels, data.Decode(0).Pixels);
        Assert.Equal(TestImages.Render(label: 0, index: 1, seed: 9).Pixels, data.Decode(3).Pixels);
    }

    [Fact]
    public void JpegFilesDecodeCloseToThePicture()
    {
        using var dir = new TempDirectory();
        var written = TestImages.WriteClassFolders(dir.Path, classes: 3, perClass: 2, format: SyntheticImageFormat.Jpeg);
        Assert.All(written.Files, f => Assert.EndsWith(".jpg", f, StringComparison.Ordinal));
        for (int i = 0; i < written.Files.Count; i++)
        {
            var decoded = ImageDecoder.Decode(written.Files[i]);
            Assert.Equal(ImageFormat.Jpeg, decoded.SourceFormat);
            double own = MeanAbsoluteDifference(TestImages.Render(written.Labels[i], i % 2).Pixels, decoded.Pixels);
            double other = MeanAbsoluteDifference(TestImages.Render(written.Labels[i], 2 + (i % 2)).Pixels, decoded.Pixels);
            Assert.True(own < JpegMeanAbsoluteLevels, $"{written.Files[i]}: {own:F2} levels from its own picture");
            Assert.True(other > JpegMeanAbsoluteLevels, $"{written.Files[i]}: only {other:F2} levels from another picture");
        }
    }

    private static double MeanAbsoluteDifference(byte[] a, byte[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Average();

    [Fact]
    public void EncodedBytesDecodeToTheRenderedPicture()
    {
        byte[] png = TestImages.Encode(label: 4, index: 7, size: 20, seed: 2);
        Assert.Equal(TestImages.Render(4, 7, 20, 2).Pixels, ImageDecoder.Decode(png, "encoded.png").Pixels);
    }

    [Theory]
    [InlineData(SyntheticImageFormat.Png)]
    [InlineData(SyntheticImageFormat.Jpeg)]
    public void TruncatedImagesFailAsTruncated(SyntheticImageFormat format)
    {
        using var dir = new TempDirectory();
        string path = TestImages.WriteTruncatedImage(dir.PathOf("broken.img"), format);
        Assert.Equal(TestImages.Encode(0, format: format).Length * 6 / 10, new FileInfo(path).Length);
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path));
        Assert.Equal(ImageDecodeFailure.Truncated, error.Failure);
        Assert.Contains("broken.img", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadArgumentsAreRejectedByName()
    {
        using var dir = new TempDirectory();
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => TestImages.InMemory(classes: 1)).ParamName);
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => TestImages.WriteClassFolders(dir.Path, classes: 13)).ParamName);
        Assert.Equal("classNames", Assert.Throws<ArgumentException>(() => TestImages.InMemory(["cat", "Cat"])).ParamName);
        Assert.Equal("classNames", Assert.Throws<ArgumentException>(() => TestImages.WriteClassFolders(dir.Path, ["a/b", "c"])).ParamName);
        Assert.Equal("classNames", Assert.Throws<ArgumentException>(() => TestImages.WriteClassFolders(dir.Path, ["..", "c"])).ParamName);
        Assert.Equal("perClass", Assert.Throws<ArgumentOutOfRangeException>(() => TestImages.InMemory(perClass: 0)).ParamName);
        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => TestImages.Render(0, size: 15)).ParamName);
        Assert.Equal("label", Assert.Throws<ArgumentOutOfRangeException>(() => TestImages.Render(12)).ParamName);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }
}

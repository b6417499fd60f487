using TransferKit.Data.Decoding;
using TransferKit.Data.Synthetic;
using TransferKit.Tests.Data.Datasets;

namespace TransferKit.Tests.Data.Synthetic;

public sealed class BadImageFolderTests : IDisposable
{
    private readonly DatasetTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void EveryFile_DecodesOrFailsAsDeclared()
    {
        IReadOnlyList<BadImageFolderEntry> entries = BadImageFolder.Write(_folder.Root);

        Assert.Equal(15, entries.Count);
        Assert.Equal(7, entries.Count(e => e.IsBad));
        Assert.Equal(entries.Select(e => e.Path).Order(StringComparer.Ordinal), entries.Select(e => e.Path));
        foreach (BadImageFolderEntry entry in entries)
        {
            if (entry.ExpectedFailure is ImageDecodeFailure failure)
            {
                var ex = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(entry.Path));
                Assert.True(ex.Failure == failure, $"{entry.FileName}: expected {failure}, got {ex.Failure} ({ex.Reason})");
            }
            else
            {
                DecodedImage image = ImageDecoder.Decode(entry.Path);
                Assert.True((image.Width, image.Height) == (48, 40), $"{entry.FileName}: {image}");
            }
        }
    }

    [Fact]
    public void ValidFiles_AreTheFormatsTheirNamesHide()
    {
        var entries = BadImageFolder.Write(_folder.Root).ToDictionary(e => e.FileName);

        Assert.Equal(ImageFormat.Png, ImageDecoder.Decode(entries["png_named.jpg"].Path).SourceFormat);
        Assert.Equal(ImageFormat.Bmp, ImageDecoder.Decode(entries["bmp_named.jpg"].Path).SourceFormat);
        Assert.Equal(ImageFormat.Gif, ImageDecoder.Decode(entries["gif_named.jpg"].Path).SourceFormat);
        byte[] exif = File.ReadAllBytes(entries["exif_only.jpg"].Path);
        Assert.Equal((byte)0xE1, exif[3]); // APP1 right after SOI, no JFIF APP0

        // Lossless formats reproduce the source picture exactly (GIF to its 6-level palette).
        byte[] png = ImageDecoder.Decode(entries["png_named.jpg"].Path).Pixels;
        Assert.Equal(png, ImageDecoder.Decode(entries["bmp_named.jpg"].Path).Pixels);
        Assert.Equal(png, ImageDecoder.Decode(entries["rgb16.png"].Path).Pixels);
        byte[] gif = ImageDecoder.Decode(entries["gif_named.jpg"].Path).Pixels;
        Assert.All(Enumerable.Range(0, png.Length), i => Assert.InRange(gif[i] - png[i], -26, 26));
    }
}

using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Data.Decoding;

public class ImageFormatSnifferTests
{
    public static TheoryData<byte[], ImageFormat> Headers() => new()
    {
        { [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F'], ImageFormat.Jpeg },
        { [0xFF, 0xD8, 0xFF, 0xE1, 0x12, 0x34, (byte)'E', (byte)'x'], ImageFormat.Jpeg },
        { [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], ImageFormat.Png },
        { [.. "GIF89a"u8, 1, 0, 1, 0], ImageFormat.Gif },
        { [.. "GIF87a"u8], ImageFormat.Gif },
        { [.. "BM"u8, 0, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0, 1, 0], ImageFormat.Bmp },
        { [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBPVP8 "u8], ImageFormat.WebP },
        { [.. "II*\0"u8, 8, 0, 0, 0], ImageFormat.Tiff },
        { [.. "MM\0*"u8, 0, 0, 0, 8], ImageFormat.Tiff },
        { [0, 0, 0, 0x18, .. "ftypheic"u8, 0, 0, 0, 0], ImageFormat.Heif },
        { [0, 0, 0, 0x1C, .. "ftypavif"u8, 0, 0, 0, 0], ImageFormat.Heif },
        { [0, 0, 1, 0, 1, 0, 16, 16], ImageFormat.Ico },
        // Thumbs.db (OLE compound file), HTML error pages, text, zip, a "BM" text, and too-short data are not images.
        { [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0], ImageFormat.Unknown },
        { [.. "<!DOCTYPE html>"u8], ImageFormat.Unknown },
        { [.. "PK\x03\x04"u8, 20, 0], ImageFormat.Unknown },
        { [.. "BMW owners club, page 1"u8], ImageFormat.Unknown },
        { [0xFF, 0xD8], ImageFormat.Unknown },
        { [], ImageFormat.Unknown },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void DetectsByMagicBytes(byte[] header, ImageFormat expected) =>
        Assert.Equal(expected, ImageFormatSniffer.Detect(header));

    [Fact]
    public void RecognisesOleCompoundFiles() =>
        Assert.True(ImageFormatSniffer.IsOleCompoundFile([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]));
}

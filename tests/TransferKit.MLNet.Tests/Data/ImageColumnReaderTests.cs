using TransferKit.Data.Decoding;
using TransferKit.MLNet.Data;

namespace TransferKit.MLNet.Tests.Data;

public sealed class ImageColumnReaderTests
{
    /// <summary>Every width modulo 4 (BMP rows are padded to 4 bytes), pixels all different, rows top-down.</summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 2)]
    [InlineData(5, 4)]
    [InlineData(8, 7)]
    public void TheBmpOfBgrPixelsDecodesToTheSameRgbPixels(int width, int height)
    {
        var bgr = new byte[width * height * 3];
        for (int i = 0; i < bgr.Length; i++) bgr[i] = (byte)(i * 7 + 3);
        var image = ImageDecoder.Decode(ImageColumnReader.Bmp(width, height, bgr), "test.bmp");
        Assert.Equal((width, height), (image.Width, image.Height));
        var rgb = image.Pixels.ToArray();
        for (int p = 0; p < width * height; p++)
            Assert.Equal((bgr[3 * p + 2], bgr[3 * p + 1], bgr[3 * p]), (rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]));
    }
}

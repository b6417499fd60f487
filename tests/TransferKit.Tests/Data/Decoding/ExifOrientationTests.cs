using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Data.Decoding;

public class ExifOrientationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void ApplyMatchesComposedFlipsAndRotations(int orientation)
    {
        foreach ((int w, int h) in new[] { (1, 1), (3, 2), (2, 5), (7, 4) })
        {
            var image = new DecodedImage(w, h, Enumerable.Range(0, w * h * 3).Select(i => (byte)i).ToArray(), ImageFormat.Png);
            DecodedImage expected = Naive(image, orientation);
            DecodedImage actual = ExifOrientation.Apply(image, orientation);
            Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
            Assert.Equal(expected.Pixels, actual.Pixels);
        }
    }

    [Fact]
    public void SwappingOrientationsSwapOriginalSize()
    {
        var image = new DecodedImage(2, 3, new byte[18], ImageFormat.Jpeg, 8, 12);
        DecodedImage rotated = ExifOrientation.Apply(image, 6);
        Assert.Equal((3, 2, 12, 8), (rotated.Width, rotated.Height, rotated.OriginalWidth, rotated.OriginalHeight));
        Assert.Same(image, ExifOrientation.Apply(image, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExifOrientation.Apply(image, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExifOrientation.Apply(image, 9));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ParseReadsBothByteOrders(bool littleEndian)
    {
        for (int v = 1; v <= 8; v++)
        {
            byte[] segment = JpegTestTools.ExifSegment(v, littleEndian);
            Assert.Equal(v, ExifOrientation.Parse(segment.AsSpan(4 + 6)));
        }
    }

    [Fact]
    public void ParseFindsTagAmongOtherEntries()
    {
        // Big-endian IFD0 with three entries: ImageWidth (LONG), Make (ASCII offset), Orientation = 8.
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8,
            0, 3,
            0x01, 0x00, 0, 4, 0, 0, 0, 1, 0, 0, 0x10, 0x00,
            0x01, 0x0F, 0, 2, 0, 0, 0, 6, 0, 0, 0, 50,
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 8, 0, 0,
            0, 0, 0, 0,
        ];
        Assert.Equal(8, ExifOrientation.Parse(tiff));
    }

    [Fact]
    public void BrokenOrMissingDataMeansNormal()
    {
        Assert.Equal(1, ExifOrientation.Parse([]));
        Assert.Equal(1, ExifOrientation.Parse("XX*\0\0\0\0\0"u8));
        byte[] valid = JpegTestTools.ExifSegment(6, true).AsSpan(10).ToArray();
        Assert.Equal(1, ExifOrientation.Parse(valid.AsSpan(0, 12))); // IFD cut off
        byte[] badValue = JpegTestTools.ExifSegment(9, true).AsSpan(10).ToArray();
        Assert.Equal(1, ExifOrientation.Parse(badValue));
        byte[] badOffset = (byte[])valid.Clone();
        badOffset[4] = 0xF0; // IFD0 offset far past the end
        Assert.Equal(1, ExifOrientation.Parse(badOffset));
        Assert.Equal(1, ExifOrientation.ReadFromJpeg([0x89, 0x50, 0x4E, 0x47]));
    }

    /// <summary>The EXIF meaning spelled out as forward maps: where does the stored pixel (x, y) land when viewed?</summary>
    private static DecodedImage Naive(DecodedImage image, int orientation) => orientation switch
    {
        1 => image,
        2 => FlipLeftRight(image),
        3 => RotateClockwise(RotateClockwise(image)),
        4 => FlipTopBottom(image),
        5 => FlipLeftRight(RotateClockwise(image)),    // transpose
        6 => RotateClockwise(image),
        7 => FlipTopBottom(RotateClockwise(image)),    // transverse
        _ => RotateClockwise(RotateClockwise(RotateClockwise(image))),
    };

    private static DecodedImage Map(DecodedImage src, int outW, int outH, Func<int, int, (int X, int Y)> destinationOf)
    {
        byte[] dst = new byte[src.Pixels.Length];
        for (int y = 0; y < src.Height; y++)
        {
            for (int x = 0; x < src.Width; x++)
            {
                (int dx, int dy) = destinationOf(x, y);
                for (int c = 0; c < 3; c++)
                {
                    dst[(((dy * outW) + dx) * 3) + c] = src.Pixels[(((y * src.Width) + x) * 3) + c];
                }
            }
        }

        return new DecodedImage(outW, outH, dst, src.SourceFormat);
    }

    private static DecodedImage FlipLeftRight(DecodedImage s) => Map(s, s.Width, s.Height, (x, y) => (s.Width - 1 - x, y));

    private static DecodedImage FlipTopBottom(DecodedImage s) => Map(s, s.Width, s.Height, (x, y) => (x, s.Height - 1 - y));

    // Clockwise: the stored left column becomes the top row, the stored bottom row becomes the left column.
    private static DecodedImage RotateClockwise(DecodedImage s) => Map(s, s.Height, s.Width, (x, y) => (s.Height - 1 - y, x));
}

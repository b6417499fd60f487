using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Data.Decoding;

public class GifDecoderTests
{
    [Fact]
    public void InterlacedFixtureMatchesPillow()
    {
        byte[] expected = ImageTestData.ReadFixture("interlaced.rgb");
        DecodedImage image = ImageDecoder.Decode(ImageTestData.Fixture("interlaced.gif"));
        Assert.Equal(ImageFormat.Gif, image.SourceFormat);
        Assert.Equal((20, 18), (image.Width, image.Height));
        Assert.Equal(expected, image.Pixels);
    }

    [Fact]
    public void InterlacedRowOrderVisitsEveryRowOnce()
    {
        for (int h = 1; h <= 40; h++)
        {
            // The GIF passes written out: rows 0,8,16..; 4,12,..; 2,6,10,..; 1,3,5,...
            var naive = new List<int>();
            foreach ((int start, int step) in new[] { (0, 8), (4, 8), (2, 4), (1, 2) })
            {
                for (int y = start; y < h; y += step)
                {
                    naive.Add(y);
                }
            }

            Assert.Equal(naive, Enumerable.Range(0, h).Select(r => GifDecoder.InterlacedRow(r, h)));
        }
    }

    [Fact]
    public void HandMadeGifWithClearCodesDecodes()
    {
        // 3x2, 2-colour global table (black, white), min code size 2 (clear = 4, end = 5). Codes start 3 bits wide;
        // the third data code adds table entry 7, so from the fourth on they are 4 bits wide (as every GIF encoder does).
        // clear, 1, 0, 1 | 0, 1, 0, end -> pixels W B W / B W B.
        byte[] lzw = PackCodes([(4, 3), (1, 3), (0, 3), (1, 3), (0, 4), (1, 4), (0, 4), (5, 4)]);
        byte[] gif =
        [
            .. "GIF89a"u8, 3, 0, 2, 0, 0x80, 0, 0,
            0, 0, 0, 255, 255, 255,
            0x21, 0xF9, 4, 0x01, 0, 0, 1, 0,               // graphic control: transparent index 1 (ignored for RGB)
            0x2C, 0, 0, 0, 0, 3, 0, 2, 0, 0,
            2, (byte)lzw.Length, .. lzw, 0,
            0x3B,
        ];
        DecodedImage image = ImageDecoder.Decode(gif, "hand.gif");
        byte[] w = [255, 255, 255], b = [0, 0, 0];
        Assert.Equal([.. w, .. b, .. w, .. b, .. w, .. b], image.Pixels);
    }

    [Fact]
    public void TruncatedGifIsTruncated()
    {
        byte[] gif = ImageTestData.ReadFixture("interlaced.gif");
        ImageTestData.AssertFails(ImageDecodeFailure.Truncated, gif[..(gif.Length * 6 / 10)], name: "cut.gif");
        ImageTestData.AssertFails(ImageDecodeFailure.Truncated, gif[..10], name: "head.gif");
    }

    [Fact]
    public void HugeScreenFailsFast()
    {
        byte[] gif = [.. "GIF89a"u8, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0x2C, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 2, 0];
        ImageTestData.AssertFails(ImageDecodeFailure.TooLarge, gif, name: "bomb.gif");
    }

    private static byte[] PackCodes((int Code, int Bits)[] codes)
    {
        var bytes = new List<byte>();
        int acc = 0, count = 0;
        foreach ((int c, int bits) in codes)
        {
            acc |= c << count;
            count += bits;
            while (count >= 8)
            {
                bytes.Add((byte)acc);
                acc >>= 8;
                count -= 8;
            }
        }

        if (count > 0)
        {
            bytes.Add((byte)acc);
        }

        return [.. bytes];
    }
}

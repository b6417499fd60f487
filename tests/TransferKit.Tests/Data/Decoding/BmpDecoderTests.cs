using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Data.Decoding;

public class BmpDecoderTests
{
    [Theory]
    [InlineData(1, 40, false)]
    [InlineData(2, 40, false)]
    [InlineData(4, 40, true)]
    [InlineData(8, 40, false)]
    [InlineData(8, 124, true)]
    [InlineData(8, 108, false)]
    public void PalettisedDepthsDecode(int bits, int headerSize, bool topDown)
    {
        foreach ((int w, int h) in new[] { (1, 1), (3, 2), (9, 5), (33, 3) })
        {
            int colors = 1 << bits;
            byte[] bmp = BmpTestWriter.Uncompressed(w, h, bits, (x, y) => (uint)(((x * 3) + (y * 5)) % colors), headerSize,
                paletteBgr0: BmpTestWriter.Palette(colors), topDown: topDown);
            DecodedImage image = ImageDecoder.Decode(bmp, "p.bmp");
            Assert.Equal(ImageFormat.Bmp, image.SourceFormat);
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    Assert.Equal(BmpTestWriter.PaletteColor(((x * 3) + (y * 5)) % colors), image.GetPixel(x, y));
                }
            }
        }
    }

    [Fact]
    public void CoreHeaderWithThreeBytePaletteDecodes()
    {
        byte[] bmp = BmpTestWriter.Uncompressed(5, 3, 8, (x, y) => (uint)(x + y), headerSize: 12, paletteBgr0: BmpTestWriter.Palette(256, core: true));
        DecodedImage image = ImageDecoder.Decode(bmp, "core.bmp");
        Assert.Equal(BmpTestWriter.PaletteColor(6), image.GetPixel(4, 2));
        Assert.Equal(BmpTestWriter.PaletteColor(0), image.GetPixel(0, 0));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TwentyFourBitDecodesBothRowOrders(bool topDown)
    {
        byte[] bmp = BmpTestWriter.Uncompressed(7, 4, 24, (x, y) => (uint)((x * 30) << 16 | (y * 60) << 8 | (x + y)), topDown: topDown);
        DecodedImage image = ImageDecoder.Decode(bmp, "24.bmp");
        Assert.Equal(((byte)180, (byte)180, (byte)9), image.GetPixel(6, 3));
        Assert.Equal(((byte)0, (byte)0, (byte)0), image.GetPixel(0, 0));
    }

    [Fact]
    public void ThirtyTwoBitRgbIgnoresFourthByte()
    {
        byte[] bmp = BmpTestWriter.Uncompressed(3, 2, 32, (x, y) => 0xAB000000u | (uint)(x << 16 | y << 8 | 7));
        Assert.Equal(((byte)2, (byte)1, (byte)7), ImageDecoder.Decode(bmp, "32.bmp").GetPixel(2, 1));
    }

    [Theory]
    [InlineData(40)]
    [InlineData(56)]
    [InlineData(108)]
    [InlineData(124)]
    public void BitFieldsDecodeWithEveryHeaderVersion(int headerSize)
    {
        // 32-bit with masks in an unusual order (A R G B from the top byte): red in bits 16-23, green 8-15, blue 0-7.
        uint[] masks32 = [0x00FF0000, 0x0000FF00, 0x000000FF];
        byte[] bmp32 = BmpTestWriter.Uncompressed(2, 2, 32, (x, y) => (uint)(0x80 << 24 | (10 + x) << 16 | (20 + y) << 8 | 30), headerSize, compression: 3, masks: masks32);
        Assert.Equal(((byte)11, (byte)21, (byte)30), ImageDecoder.Decode(bmp32, "bf32.bmp").GetPixel(1, 1));

        // 16-bit 5-6-5: full-scale channels map to 255, one step of 6-bit green is 255/63 truncated = 4.
        uint[] masks565 = [0xF800, 0x07E0, 0x001F];
        byte[] bmp16 = BmpTestWriter.Uncompressed(2, 1, 16, (x, _) => x == 0 ? 0xFFFFu : (1u << 5), headerSize, compression: 3, masks: masks565);
        DecodedImage image = ImageDecoder.Decode(bmp16, "565.bmp");
        Assert.Equal(((byte)255, (byte)255, (byte)255), image.GetPixel(0, 0));
        Assert.Equal(((byte)0, (byte)4, (byte)0), image.GetPixel(1, 0));
    }

    [Fact]
    public void SixteenBitRgbIs555()
    {
        // 0x7C00 red full, 0x03E0 green full, 0x001F blue full; 0x8000 (the unused top bit) is ignored.
        byte[] bmp = BmpTestWriter.Uncompressed(4, 1, 16, (x, _) => x switch { 0 => 0x7C00u, 1 => 0x03E0u, 2 => 0x801Fu, _ => 0x0421u });
        DecodedImage image = ImageDecoder.Decode(bmp, "555.bmp");
        Assert.Equal(((byte)255, (byte)0, (byte)0), image.GetPixel(0, 0));
        Assert.Equal(((byte)0, (byte)255, (byte)0), image.GetPixel(1, 0));
        Assert.Equal(((byte)0, (byte)0, (byte)255), image.GetPixel(2, 0));
        Assert.Equal(((byte)8, (byte)8, (byte)8), image.GetPixel(3, 0)); // 1 * 255 / 31 = 8
    }

    [Fact]
    public void Rle8DecodesRunsAbsoluteRunsDeltaAndLineEnds()
    {
        // 6x3, stored bottom-up. Bottom row: a run of four 2s, single runs of 5 and 6, end of line. Middle row: a delta
        // move to x = 3 (skipped pixels keep index 0), a run of two 11s, end of line. Top row: an absolute run of three
        // (7, 8, 9, padded to an even byte count), then end of bitmap with the rest left at 0.
        byte[] rle =
        [
            4, 2, 1, 5, 1, 6, 0, 0,
            0, 2, 3, 0,
            2, 11, 0, 0,
            0, 3, 7, 8, 9, 0,
            0, 1,
        ];
        byte[] bmp = BmpTestWriter.Assemble(6, 3, 8, 40, 1, null, BmpTestWriter.Palette(256), rle);
        DecodedImage image = ImageDecoder.Decode(bmp, "rle8.bmp");
        int[] expected = [7, 8, 9, 0, 0, 0, 0, 0, 0, 11, 11, 0, 2, 2, 2, 2, 5, 6];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(BmpTestWriter.PaletteColor(expected[i]), image.GetPixel(i % 6, i / 6));
        }
    }

    [Fact]
    public void Rle4AlternatesNibbles()
    {
        // 5x1: run of 5 pixels alternating indices 1 and 2 (byte 0x12), end of bitmap.
        byte[] bmp = BmpTestWriter.Assemble(5, 1, 4, 40, 2, null, BmpTestWriter.Palette(16), [5, 0x12, 0, 1]);
        DecodedImage image = ImageDecoder.Decode(bmp, "rle4.bmp");
        int[] expected = [1, 2, 1, 2, 1];
        for (int x = 0; x < 5; x++)
        {
            Assert.Equal(BmpTestWriter.PaletteColor(expected[x]), image.GetPixel(x, 0));
        }
    }

    [Fact]
    public void TruncatedRleAndPixelsAreTruncated()
    {
        byte[] rle = BmpTestWriter.Assemble(4, 2, 8, 40, 1, null, BmpTestWriter.Palette(256), [4, 1, 0, 0]);
        ImageTestData.AssertFails(ImageDecodeFailure.Truncated, rle, name: "rle.bmp");
        byte[] bmp = BmpTestWriter.Uncompressed(16, 16, 24, (x, y) => 0);
        ImageTestData.AssertFails(ImageDecodeFailure.Truncated, bmp[..(bmp.Length * 6 / 10)], name: "cut.bmp");
    }

    [Fact]
    public void EmbeddedPngCompressionIsUnsupported()
    {
        byte[] bmp = BmpTestWriter.Assemble(2, 2, 0, 40, 5, null, null, PngEncoder.Encode(2, 2, new byte[12]));
        ImageTestData.AssertFails(ImageDecodeFailure.Undecodable, bmp, name: "png-in-bmp.bmp"); // bit count 0 is refused first
        byte[] bmp24 = BmpTestWriter.Assemble(2, 2, 24, 40, 5, null, null, PngEncoder.Encode(2, 2, new byte[12]));
        ImageTestData.AssertFails(ImageDecodeFailure.Unsupported, bmp24, name: "png-in-bmp.bmp");
    }

    [Fact]
    public void HugeDeclaredSizeFailsFastWithoutAllocating()
    {
        byte[] bmp = BmpTestWriter.Assemble(65535, 65535, 24, 40, 0, null, null, new byte[16]);
        ImageTestData.AssertFails(ImageDecodeFailure.TooLarge, bmp, name: "bomb.bmp");
        long allocated = ImageTestData.AllocatedBy(() => Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bmp, "bomb.bmp")));
        Assert.True(allocated < DecodingTolerances.GuardMaxAllocatedBytes, $"allocated {allocated} bytes");
    }

    [Theory]
    [InlineData("rgb24.bmp")]
    [InlineData("palette8.bmp")]
    public void MatchesPillowDecodeOfCommittedFixture(string name)
    {
        byte[] expected = ImageTestData.ReadFixture(Path.ChangeExtension(name, ".rgb"));
        Assert.Equal(expected, ImageDecoder.Decode(ImageTestData.Fixture(name)).Pixels);
    }
}

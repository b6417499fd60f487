using System.Buffers.Binary;
using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Data.Decoding;

public class PngDecoderTests
{
    public static TheoryData<PngColorType, int> AllColorTypesAndDepths() => new()
    {
        { PngColorType.Gray, 1 }, { PngColorType.Gray, 2 }, { PngColorType.Gray, 4 }, { PngColorType.Gray, 8 }, { PngColorType.Gray, 16 },
        { PngColorType.Rgb, 8 }, { PngColorType.Rgb, 16 },
        { PngColorType.Palette, 1 }, { PngColorType.Palette, 2 }, { PngColorType.Palette, 4 }, { PngColorType.Palette, 8 },
        { PngColorType.GrayAlpha, 8 }, { PngColorType.GrayAlpha, 16 },
        { PngColorType.Rgba, 8 }, { PngColorType.Rgba, 16 },
    };

    [Theory]
    [MemberData(nameof(AllColorTypesAndDepths))]
    public void EveryColorTypeAndDepthDecodesExactly_PlainAndInterlaced(PngColorType type, int depth)
    {
        // Odd sizes exercise partial bytes at low depths and empty Adam7 passes (1x1, 2x1, 3x2 have some).
        foreach ((int w, int h) in new[] { (1, 1), (2, 1), (3, 2), (5, 9), (13, 7), (33, 17) })
        {
            byte[]? palette = null;
            int paletteSize = 0;
            if (type == PngColorType.Palette)
            {
                paletteSize = 1 << depth;
                palette = new byte[paletteSize * 3];
                new Random(depth).NextBytes(palette);
            }

            int[] samples = PngTestWriter.RandomSamples(w, h, type, depth, seed: (w * 31) + h, paletteSize);
            byte[] expected = PngTestWriter.ExpectedRgb(w, h, type, depth, samples, palette);
            foreach (bool interlaced in new[] { false, true })
            {
                byte[] png = PngTestWriter.Write(w, h, type, depth, samples, interlaced, palette: palette);
                DecodedImage image = ImageDecoder.Decode(png, "t.png");
                Assert.Equal(ImageFormat.Png, image.SourceFormat);
                Assert.Equal((w, h), (image.Width, image.Height));
                Assert.True(expected.AsSpan().SequenceEqual(image.Pixels), $"{type} {depth}-bit {w}x{h} interlaced={interlaced}");
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void EachFilterTypeAloneDecodes(int filter)
    {
        int[] samples = PngTestWriter.RandomSamples(11, 6, PngColorType.Rgb, 8, seed: filter);
        byte[] png = PngTestWriter.Write(11, 6, PngColorType.Rgb, 8, samples, interlaced: false, filterFor: _ => filter);
        Assert.Equal(PngTestWriter.ExpectedRgb(11, 6, PngColorType.Rgb, 8, samples, null), ImageDecoder.Decode(png, "f.png").Pixels);
    }

    [Fact]
    public void RgbaAndSixteenBitDropAlphaAndKeepHighByte()
    {
        // One RGBA16 pixel 0x1234, 0xABCD, 0x00FF, alpha 0 (fully transparent): RGB is 0x12, 0xAB, 0x00 regardless of alpha.
        int[] samples = [0x1234, 0xABCD, 0x00FF, 0];
        byte[] png = PngTestWriter.Write(1, 1, PngColorType.Rgba, 16, samples, interlaced: false);
        Assert.Equal(new byte[] { 0x12, 0xAB, 0x00 }, ImageDecoder.Decode(png, "a.png").Pixels);
    }

    [Fact]
    public void PaletteTransparencyIsIgnoredForRgb()
    {
        byte[] palette = [10, 20, 30, 40, 50, 60];
        byte[] png = PngTestWriter.Write(2, 1, PngColorType.Palette, 8, [0, 1], false, palette: palette, transparency: [0, 255]);
        Assert.Equal(new byte[] { 10, 20, 30, 40, 50, 60 }, ImageDecoder.Decode(png, "p.png").Pixels);
    }

    [Fact]
    public void LibraryCrcMatchesBitwiseCrcAndCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        var random = new Random(7);
        for (int n = 0; n < 300; n += 7)
        {
            byte[] data = new byte[n];
            random.NextBytes(data);
            Assert.Equal(PngTestWriter.BitwiseCrc32(data), Crc32.Compute(data));
        }
    }

    [Fact]
    public void CrcMismatchIsUndecodable()
    {
        byte[] png = PngTestWriter.Write(4, 4, PngColorType.Rgb, 8, PngTestWriter.RandomSamples(4, 4, PngColorType.Rgb, 8, 1), false);
        png[8 + 8 + 5] ^= 0x01; // a byte inside IHDR's data (the height)
        ImageDecodeException ex = ImageTestData.AssertFails(ImageDecodeFailure.Undecodable, png, name: "crc.png");
        Assert.Contains("IHDR", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortDataOrMissingIendIsTruncated()
    {
        byte[] png = PngTestWriter.Write(16, 16, PngColorType.Rgb, 8, PngTestWriter.RandomSamples(16, 16, PngColorType.Rgb, 8, 2), false);
        ImageTestData.AssertFails(ImageDecodeFailure.Truncated, png[..(png.Length * 6 / 10)], name: "cut.png");
        ImageTestData.AssertFails(ImageDecodeFailure.Truncated, png[..^12], name: "noiend.png"); // drop exactly the IEND chunk
        ImageTestData.AssertFails(ImageDecodeFailure.Truncated, png[..12], name: "header.png");
    }

    [Fact]
    public void HugeDeclaredSizeFailsFastWithoutAllocating()
    {
        var file = new MemoryStream();
        file.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        byte[] ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, 65535);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), 65535);
        ihdr[8] = 8;
        ihdr[9] = 2;
        PngTestWriter.WriteChunk(file, "IHDR", ihdr);
        PngTestWriter.WriteChunk(file, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        PngTestWriter.WriteChunk(file, "IEND", []);
        byte[] png = file.ToArray();

        ImageTestData.AssertFails(ImageDecodeFailure.TooLarge, png, name: "bomb.png"); // warm up JIT
        long allocated = ImageTestData.AllocatedBy(() =>
            Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png, "bomb.png")));
        Assert.True(allocated < DecodingTolerances.GuardMaxAllocatedBytes, $"allocated {allocated} bytes");
    }

    [Fact]
    public void UnknownCriticalChunkIsUnsupportedAndAncillaryIsSkipped()
    {
        byte[] png = PngTestWriter.Write(2, 2, PngColorType.Gray, 8, [1, 2, 3, 4], false);
        // The test writer puts a tEXt chunk after IHDR; renaming it to an upper-case (critical) name must be refused.
        int text = 8 + 25;
        Assert.Equal("tEXt"u8.ToArray(), png[(text + 4)..(text + 8)]);
        byte[] critical = (byte[])png.Clone();
        critical[text + 4] = (byte)'X';
        critical[text + 5] = (byte)'X';
        int length = BinaryPrimitives.ReadInt32BigEndian(critical.AsSpan(text));
        BinaryPrimitives.WriteUInt32BigEndian(critical.AsSpan(text + 8 + length), PngTestWriter.BitwiseCrc32(critical.AsSpan(text + 4, length + 4)));
        ImageTestData.AssertFails(ImageDecodeFailure.Unsupported, critical, name: "crit.png");
        Assert.Equal(new byte[] { 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4 }, ImageDecoder.Decode(png, "ok.png").Pixels);
    }

    [Fact]
    public void PaletteImageWithoutPlteIsUndecodable()
    {
        byte[] png = PngTestWriter.Write(2, 2, PngColorType.Palette, 8, [0, 0, 0, 0], false);
        ImageTestData.AssertFails(ImageDecodeFailure.Undecodable, png, name: "noplte.png");
    }

    [Theory]
    [InlineData(PngColorType.Gray, 8)]
    [InlineData(PngColorType.Gray, 16)]
    [InlineData(PngColorType.Rgb, 8)]
    [InlineData(PngColorType.Rgb, 16)]
    [InlineData(PngColorType.GrayAlpha, 8)]
    [InlineData(PngColorType.Rgba, 8)]
    [InlineData(PngColorType.Rgba, 16)]
    public void EncoderRoundTrips(PngColorType type, int depth)
    {
        const int w = 19, h = 11;
        int[] samples = PngTestWriter.RandomSamples(w, h, type, depth, seed: depth);
        byte[] bytes = depth == 16
            ? samples.SelectMany(v => new[] { (byte)(v >> 8), (byte)v }).ToArray()
            : samples.Select(v => (byte)v).ToArray();
        byte[] png = PngEncoder.Encode(w, h, bytes, type, depth);
        Assert.Equal(PngTestWriter.ExpectedRgb(w, h, type, depth, samples, null), ImageDecoder.Decode(png, "enc.png").Pixels);
    }

    [Fact]
    public void EncoderRejectsWrongLengthAndPalette()
    {
        Assert.Throws<ArgumentException>(() => PngEncoder.Encode(2, 2, new byte[11]));
        Assert.Throws<ArgumentException>(() => PngEncoder.Encode(2, 2, new byte[4], PngColorType.Palette));
        Assert.Throws<ArgumentException>(() => PngEncoder.Encode(2, 2, new byte[4], PngColorType.Gray, 4));
    }
}

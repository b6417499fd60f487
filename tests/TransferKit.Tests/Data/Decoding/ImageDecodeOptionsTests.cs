using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Data.Decoding;

public class ImageDecodeOptionsTests
{
    [Fact]
    public void DefaultsAreDocumentedValues()
    {
        var o = new ImageDecodeOptions();
        Assert.Equal(100_000_000, o.MaxPixels);
        Assert.Equal(256L * 1024 * 1024, o.MaxFileBytes);
        Assert.Equal(64, o.MaxProgressiveScans);
        Assert.True(o.ApplyExifOrientation);
        Assert.Null(o.MinimumSize);
        Assert.Equal(256L * 1024 * 1024, o.MaxDecodeBytes);
        Assert.Equal(4096, o.MaxExpansionRatio);
        o.Validate();
        Assert.Equal(o, ImageDecodeOptions.Default);
    }

    [Fact]
    public void ValidateNamesTheBadProperty()
    {
        Assert.Equal("MaxPixels", Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecodeOptions { MaxPixels = 0 }.Validate()).ParamName);
        Assert.Equal("MaxFileBytes", Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecodeOptions { MaxFileBytes = -1 }.Validate()).ParamName);
        Assert.Equal("MaxProgressiveScans", Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecodeOptions { MaxProgressiveScans = 0 }.Validate()).ParamName);
        Assert.Equal("MinimumSize", Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecodeOptions { MinimumSize = 0 }.Validate()).ParamName);
        Assert.Equal("MaxDecodeBytes", Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecodeOptions { MaxDecodeBytes = 0 }.Validate()).ParamName);
        Assert.Equal("MaxExpansionRatio", Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecodeOptions { MaxExpansionRatio = 0.5 }.Validate()).ParamName);
        Assert.Equal("MaxExpansionRatio", Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecodeOptions { MaxExpansionRatio = double.NaN }.Validate()).ParamName);
    }

    [Fact]
    public void DecoderValidatesOptions()
    {
        byte[] png = PngEncoder.Encode(1, 1, new byte[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageDecoder.Decode(png, "x.png", new ImageDecodeOptions { MaxPixels = 0 }));
    }

    [Fact]
    public void DecodedImageValidatesItsBuffer()
    {
        Assert.Throws<ArgumentException>(() => new DecodedImage(2, 2, new byte[11]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DecodedImage(0, 2, []));
        var image = new DecodedImage(2, 1, [1, 2, 3, 4, 5, 6]);
        Assert.Equal((4, 5, 6), image.GetPixel(1, 0));
        Assert.Equal(3, DecodedImage.Channels);
        Assert.False(image.IsScaled);
    }
}

using TransferKit.Data.Decoding;
using TransferKit.Data.Preprocessing;
using TransferKit.Models;

namespace TransferKit.Tests.Data.Preprocessing;

public sealed class ImageResizerTests
{
    public static TheoryData<string> SmallCases => new()
    {
        "bilinear_17x23", "bicubic_17x23", "bilinear_45x64", "bicubic_45x64",
        "bilinear_37x30", "bicubic_37x30", "bilinear_20x53", "bicubic_20x53",
    };

    [Theory]
    [MemberData(nameof(SmallCases))]
    public void ResizeMatchesPillow(string name)
    {
        using var f = PreprocessingFixtures.Load("resize_gradient_37x53");
        DecodedImage input = PreprocessingFixtures.Image(f, "input");
        DecodedImage expected = PreprocessingFixtures.Image(f, name);
        ResizeInterpolation filter = name.StartsWith("bilinear", StringComparison.Ordinal) ? ResizeInterpolation.Bilinear : ResizeInterpolation.Bicubic;

        DecodedImage actual = ImageResizer.Resize(input, expected.Width, expected.Height, filter);

        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        PreprocessingFixtures.BytesClose(expected.Pixels, actual.Pixels, expected.Width, Tolerances.PillowResizeLevels, name);
    }

    [Fact]
    public void ShorterSideMatchesTorchvisionResize()
    {
        using var f = PreprocessingFixtures.Load("resize_gradient_37x53");
        DecodedImage expected = PreprocessingFixtures.Image(f, "bilinear_shorter_24");

        DecodedImage actual = ImageResizer.ResizeShorterSide(PreprocessingFixtures.Image(f, "input"), 24, ResizeInterpolation.Bilinear);

        Assert.Equal((24, 34), (actual.Width, actual.Height));
        PreprocessingFixtures.BytesClose(expected.Pixels, actual.Pixels, 24, Tolerances.PillowResizeLevels, "Resize(24)");
    }

    [Theory]
    [InlineData(ResizeInterpolation.Bilinear, "bilinear_shorter_48")]
    [InlineData(ResizeInterpolation.Bicubic, "bicubic_shorter_48")]
    public void PhotoDownscaleByEightMatchesPillow(ResizeInterpolation filter, string name)
    {
        using var f = PreprocessingFixtures.Load("resize_photo_500x375");
        DecodedImage expected = PreprocessingFixtures.Image(f, name);

        DecodedImage actual = ImageResizer.ResizeShorterSide(SyntheticPhotoTests.FixturePhoto(f), 48, filter);

        Assert.Equal((64, 48), (actual.Width, actual.Height));
        PreprocessingFixtures.BytesClose(expected.Pixels, actual.Pixels, 64, Tolerances.PillowResizeLevels, name);
    }

    [Theory]
    [InlineData(ResizeInterpolation.Bilinear, "bilinear_224_rows")]
    [InlineData(ResizeInterpolation.Bicubic, "bicubic_224_rows")]
    public void CifarUpsampleTo224MatchesPillow(ResizeInterpolation filter, string name)
    {
        using var f = PreprocessingFixtures.Load("resize_cifar_32");
        int[] rows = f.MetaInts("rows");
        byte[] expected = PreprocessingFixtures.Bytes(f, name);

        DecodedImage actual = ImageResizer.Resize(PreprocessingFixtures.Image(f, "input"), 224, 224, filter);

        byte[] picked = rows.SelectMany(r => actual.Pixels.AsSpan(r * 224 * 3, 224 * 3).ToArray()).ToArray();
        PreprocessingFixtures.BytesClose(expected, picked, 224, Tolerances.PillowResizeLevels, name);
    }

    [Fact]
    public void FastResizeEqualsNaiveTwinOverManySizes()
    {
        var rng = new Random(11);
        int[] sizes = [1, 2, 3, 5, 7, 16, 17, 31, 40];
        foreach (ResizeInterpolation filter in new[] { ResizeInterpolation.Bilinear, ResizeInterpolation.Bicubic })
        {
            foreach (int w in sizes)
            {
                foreach (int h in sizes)
                {
                    DecodedImage image = RandomImage(rng, w, h);
                    int ow = rng.Next(1, 48), oh = rng.Next(1, 48);
                    byte[] expected = NaiveResize.Resize(image.Pixels, w, h, ow, oh, filter);
                    DecodedImage actual = ImageResizer.Resize(image, ow, oh, filter);
                    PreprocessingFixtures.BytesClose(expected, actual.Pixels, ow, 0, $"{filter} {w}x{h} -> {ow}x{oh}");
                }
            }
        }
    }

    [Theory]
    [InlineData(500, 375, 256, 224, ResizeInterpolation.Bilinear)]
    [InlineData(375, 500, 256, 224, ResizeInterpolation.Bicubic)]
    [InlineData(32, 32, 224, 224, ResizeInterpolation.Bilinear)]
    [InlineData(61, 40, 53, 48, ResizeInterpolation.Bicubic)]
    [InlineData(40, 40, 40, 33, ResizeInterpolation.Bilinear)]
    public void FusedResizeAndCenterCropEqualsCropOfFullResize(int w, int h, int resize, int crop, ResizeInterpolation filter)
    {
        DecodedImage image = RandomImage(new Random(w * h), w, h);
        DecodedImage expected = ImageResizer.CenterCrop(ImageResizer.ResizeShorterSide(image, resize, filter), crop, crop);

        var actual = new byte[crop * crop * 3];
        ImageResizer.ResizeShorterSideAndCenterCrop(image, resize, crop, crop, filter, actual);

        PreprocessingFixtures.BytesClose(expected.Pixels, actual, crop, 0, "fused");
    }

    [Fact]
    public void ResizeRegionEqualsResizeOfCrop()
    {
        DecodedImage image = RandomImage(new Random(5), 50, 41);
        var box = new CropBox(3, 7, 30, 25);
        DecodedImage expected = ImageResizer.Resize(ImageResizer.Crop(image, box), 19, 33, ResizeInterpolation.Bicubic);

        DecodedImage actual = ImageResizer.ResizeRegion(image, box, 19, 33, ResizeInterpolation.Bicubic);

        Assert.Equal(expected.Pixels, actual.Pixels);
    }

    [Fact]
    public void SameSizeIsACopy()
    {
        DecodedImage image = RandomImage(new Random(3), 9, 7);
        Assert.Equal(image.Pixels, ImageResizer.Resize(image, 9, 7, ResizeInterpolation.Bicubic).Pixels);
    }

    [Theory]
    [InlineData(500, 375, 256, 341, 256)]
    [InlineData(375, 500, 256, 256, 341)]
    [InlineData(32, 32, 224, 224, 224)]
    [InlineData(37, 53, 24, 24, 34)]
    [InlineData(100, 33, 10, 30, 10)]
    public void ShorterSideSizeTruncatesLikeTorchvision(int w, int h, int size, int ew, int eh) =>
        Assert.Equal((ew, eh), ImageResizer.ShorterSideSize(w, h, size));

    [Theory]
    [InlineData(256, 224, 16)]
    [InlineData(53, 48, 2)]   // 2.5 rounds half to even, as Python's round
    [InlineData(55, 48, 4)]   // 3.5 -> 4
    [InlineData(49, 48, 0)]   // 0.5 -> 0
    [InlineData(48, 48, 0)]
    public void CenterCropOffsetRoundsHalfToEven(int size, int crop, int expected) =>
        Assert.Equal(expected, ImageResizer.CenterCropOffset(size, crop));

    [Theory]
    [InlineData(224, 0.875, 256)]
    [InlineData(224, 0.9, 248)]
    [InlineData(288, 1.0, 288)]
    [InlineData(40, 0.875, 45)]
    public void CropFractionFloorsLikeTimm(int input, double cropPct, int expected) =>
        Assert.Equal(expected, ImageResizer.ResizeSizeForCropFraction(input, cropPct));

    [Fact]
    public void CropOutsideTheImageThrows()
    {
        DecodedImage image = RandomImage(new Random(1), 10, 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageResizer.CenterCrop(image, 11, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageResizer.Crop(image, new CropBox(5, 5, 6, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageResizer.Resize(image, 0, 5, ResizeInterpolation.Bilinear));
    }

    internal static DecodedImage RandomImage(Random rng, int w, int h)
    {
        var pixels = new byte[w * h * 3];
        rng.NextBytes(pixels);
        return new DecodedImage(w, h, pixels);
    }
}

using TransferKit.Data.Augmentation;
using TransferKit.Data.Preprocessing;

namespace TransferKit.Tests.Data.Augmentation;

public sealed class RandomResizedCropTests
{
    [Theory]
    [InlineData(500, 375)]
    [InlineData(32, 32)]
    [InlineData(7, 300)]
    [InlineData(1, 1)]
    public void BoxesLieInsideTheImageAndRespectScaleAndRatio(int width, int height)
    {
        var crop = new RandomResizedCrop((0.08, 1.0), (3.0 / 4.0, 4.0 / 3.0));
        var rng = new Random(width * 31 + height);
        for (int i = 0; i < 500; i++)
        {
            CropBox box = crop.Sample(width, height, rng);
            Assert.True(box.FitsIn(width, height), $"{box} outside {width}x{height}");
            if (box != RandomResizedCrop.Fallback(width, height, crop.Ratio) && width >= 32 && height >= 32)
            {
                // Rounding each side to whole pixels moves area and ratio slightly past the sampled ranges.
                double area = (double)box.Width * box.Height / (width * height);
                Assert.InRange(area, 0.08 * 0.9, 1.0);
                Assert.InRange((double)box.Width / box.Height, 0.75 * 0.9, 4.0 / 3.0 * 1.1);
            }
        }
    }

    [Fact]
    public void TallImageFallsBackToACentredBoxOfTheMinimumRatio()
    {
        // 7 x 300: a ratio of 3/4 needs a height of at most 9 at width 7, which is below 8% of the area: no attempt fits.
        var crop = new RandomResizedCrop((0.5, 1.0), (3.0 / 4.0, 4.0 / 3.0));
        CropBox box = crop.Sample(7, 300, new Random(1));
        Assert.Equal(new CropBox((300 - 9) / 2, 0, 9, 7), box);   // h = round(7 / 0.75) = 9
    }

    [Fact]
    public void FallbackOfAnAllowedRatioIsTheWholeImage() =>
        Assert.Equal(CropBox.Full(40, 36), RandomResizedCrop.Fallback(40, 36, (0.75, 4.0 / 3.0)));

    [Fact]
    public void WideFallbackClampsToTheMaximumRatio() =>
        Assert.Equal(new CropBox(0, (100 - 13) / 2, 10, 13), RandomResizedCrop.Fallback(100, 10, (0.75, 4.0 / 3.0)));

    [Fact]
    public void ScaleOneRatioOneIsTheLargestCentredSquareOrFits()
    {
        var crop = new RandomResizedCrop((1.0, 1.0), (1.0, 1.0));
        CropBox box = crop.Sample(40, 40, new Random(3));
        Assert.Equal(CropBox.Full(40, 40), box);
    }
}

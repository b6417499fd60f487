using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Data.Decoding;

/// <summary>DCT-domain downscaling through <see cref="ImageDecodeOptions.MinimumSize"/>.</summary>
public class JpegScalingTests
{
    [Fact]
    public void MinimumSizeKeepsBothSidesAtLeastTheMinimum()
    {
        byte[] rgb = ImageTestData.SmoothRgb(1000, 750);
        byte[] jpeg = JpegEncoder.Encode(1000, 750, rgb, 90);

        // 1/4 would give 250x188 (TJSCALED rounds 187.5 up), whose short side is below 224; 3/8 gives 375x282.
        DecodedImage for224 = ImageDecoder.Decode(jpeg, "big.jpg", new ImageDecodeOptions { MinimumSize = 224 });
        Assert.Equal((375, 282), (for224.Width, for224.Height));
        Assert.Equal((1000, 750), (for224.OriginalWidth, for224.OriginalHeight));
        Assert.True(for224.IsScaled);

        // With a minimum the quarter scale satisfies, the decode is 250x188: TurboJPEG's own rounding of 750/4.
        DecodedImage quarter = ImageDecoder.Decode(jpeg, "big.jpg", new ImageDecodeOptions { MinimumSize = 188 });
        Assert.Equal((250, 188), (quarter.Width, quarter.Height));

        // The DCT-scaled pixels are close to a 4x4 box filter of the full decode.
        DecodedImage full = ImageDecoder.Decode(jpeg, "big.jpg");
        Assert.False(full.IsScaled);
        byte[] boxed = BoxDownsample(full, 4, 250, 188);
        double psnr = ImageTestData.Psnr(boxed, quarter.Pixels);
        Assert.True(psnr > DecodingTolerances.DctScaledMinPsnr, $"PSNR {psnr:F1} dB");
    }

    [Fact]
    public void MinimumSizeOnSquareImageUsesQuarterScale()
    {
        byte[] jpeg = JpegEncoder.Encode(1000, 1000, ImageTestData.SmoothRgb(1000, 1000), 80);
        DecodedImage image = ImageDecoder.Decode(jpeg, "sq.jpg", new ImageDecodeOptions { MinimumSize = 224 });
        Assert.Equal((250, 250), (image.Width, image.Height));
    }

    [Fact]
    public void MinimumSizeLargerThanImageDecodesFullSize()
    {
        byte[] jpeg = JpegEncoder.Encode(100, 80, ImageTestData.SmoothRgb(100, 80), 80);
        DecodedImage image = ImageDecoder.Decode(jpeg, "small.jpg", new ImageDecodeOptions { MinimumSize = 224 });
        Assert.Equal((100, 80), (image.Width, image.Height));
        Assert.False(image.IsScaled);
    }

    [Theory]
    [InlineData(1000, 750, 224, 3, 8)]
    [InlineData(1000, 1000, 224, 1, 4)]
    [InlineData(1000, 750, 188, 1, 4)]
    [InlineData(1000, 750, 94, 1, 8)]
    [InlineData(1000, 750, 95, 1, 4)]
    [InlineData(1000, 750, 300, 1, 2)]
    [InlineData(1000, 750, 750, 1, 1)]
    [InlineData(1000, 750, 5000, 1, 1)]
    [InlineData(500, 375, 224, 5, 8)]
    [InlineData(640, 480, 224, 1, 2)]
    [InlineData(300, 300, 224, 3, 4)]
    public void ChooseScaleTakesStrongestReductionKeepingBothSides(int w, int h, int min, int num, int denom)
    {
        TurboJpegNative.ScalingFactor f = JpegDecoder.ChooseScale(w, h, min, TurboJpegNative.Functions.ScalingFactors);
        Assert.Equal((num, denom), (f.Num / Gcd(f.Num, f.Denom), f.Denom / Gcd(f.Num, f.Denom)));
        Assert.True(f.Scale(Math.Min(w, h)) >= min || (num, denom) == (1, 1));
    }

    [Fact]
    public void ScalingFactorsComeFromTurboJpeg()
    {
        TurboJpegNative.ScalingFactor[] factors = TurboJpegNative.Functions.ScalingFactors;
        Assert.Contains(factors, f => f.Num == 1 && f.Denom == 8);
        Assert.Contains(factors, f => f.Num == 3 && f.Denom == 8);
        Assert.Equal(188, new TurboJpegNative.ScalingFactor(1, 4).Scale(750));
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    private static byte[] BoxDownsample(DecodedImage image, int factor, int outW, int outH)
    {
        byte[] result = new byte[outW * outH * 3];
        for (int y = 0; y < outH; y++)
        {
            for (int x = 0; x < outW; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    int sum = 0, n = 0;
                    for (int dy = 0; dy < factor && (y * factor) + dy < image.Height; dy++)
                    {
                        for (int dx = 0; dx < factor && (x * factor) + dx < image.Width; dx++)
                        {
                            sum += image.Pixels[(((((y * factor) + dy) * image.Width) + (x * factor) + dx) * 3) + c];
                            n++;
                        }
                    }

                    result[(((y * outW) + x) * 3) + c] = (byte)((sum + (n / 2)) / n);
                }
            }
        }

        return result;
    }
}

using TransferKit.Data.Preprocessing;
using TransferKit.Models;

namespace TransferKit.Tests.Data.Preprocessing;

public sealed class PixelNormalizerTests
{
    private static readonly byte[] s_pixels = [0, 128, 255, 10, 20, 30];   // two pixels, RGB

    [Fact]
    public void ImageNetIsToTensorThenNormalize()
    {
        var output = new float[6];
        new PixelNormalizer(NormalizationSpec.ImageNet).Normalize(s_pixels, 2, 1, output);

        // CHW: R plane (0, 10), G plane (128, 20), B plane (255, 30).
        float[] expected =
        [
            ((0 / 255f) - 0.485f) / 0.229f, ((10 / 255f) - 0.485f) / 0.229f,
            ((128 / 255f) - 0.456f) / 0.224f, ((20 / 255f) - 0.456f) / 0.224f,
            ((255 / 255f) - 0.406f) / 0.225f, ((30 / 255f) - 0.406f) / 0.225f,
        ];
        Assert.Equal(expected, output);
    }

    [Fact]
    public void CaffeIsBgrOnTheByteScale()
    {
        var output = new float[6];
        new PixelNormalizer(NormalizationSpec.Caffe).Normalize(s_pixels, 2, 1, output);
        Assert.Equal([255 - 103.939f, 30 - 103.939f, 128 - 116.779f, 20 - 116.779f, 0 - 123.68f, 10 - 123.68f], output);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UnitPathEqualsTablePath(bool caffe)
    {
        NormalizationSpec spec = caffe ? NormalizationSpec.Caffe : NormalizationSpec.ImageNet;
        var normalizer = new PixelNormalizer(spec);
        var pixels = new byte[3 * 256];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)((i * 7) % 256);
        var table = new float[pixels.Length];
        var unit = new float[pixels.Length];

        normalizer.Normalize(pixels, 16, 16, table);
        PixelNormalizer.ToUnitPlanes(pixels, 16, 16, unit);
        normalizer.NormalizeUnitInPlace(unit);

        // Exact on the 0..1 scale; on Caffe's 0..255 scale x / 255 * 255 may be one ulp off.
        NumericAssert.Close(table, unit, 0f, caffe ? 1e-4f : 0f, "unit path");
    }

    [Fact]
    public void BadSpecsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new PixelNormalizer(new NormalizationSpec([0.5f, 0.5f], [1f, 1f])));
        Assert.Throws<ArgumentException>(() => new PixelNormalizer(new NormalizationSpec([0.5f, 0.5f, 0.5f], [1f, 0f, 1f])));
        Assert.Throws<ArgumentException>(() => new PixelNormalizer(new NormalizationSpec([0.5f, 0.5f, 0.5f], [1f, 1f, 1f], Scale: 0f)));
    }
}

using TransferKit.Data.Augmentation;
using TransferKit.Data.Decoding;
using TransferKit.Data.Preprocessing;
using TransferKit.Models;
using TransferKit.Models.Onnx;

namespace TransferKit.Tests.Data.Preprocessing;

/// <summary>Issue 11: a non-square image is centre-cropped by default and stretched whole under <see cref="ResizeMode.Stretch"/>.</summary>
public class ResizeModeTests
{
    /// <summary>Raw 0-255 values in RGB order, so the transform's output is the resized bytes themselves.</summary>
    private static readonly NormalizationSpec Raw = new([0f, 0f, 0f], [1f, 1f, 1f], 1f);

    /// <summary>8 wide, 4 high: two green columns at each edge around four white ones.</summary>
    private static DecodedImage GreenEdgesWhiteMiddle()
    {
        const int width = 8, height = 4;
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bool edge = x < 2 || x >= 6;
                int p = ((y * width) + x) * 3;
                pixels[p] = edge ? (byte)0 : (byte)255;
                pixels[p + 1] = 255;
                pixels[p + 2] = edge ? (byte)0 : (byte)255;
            }
        }
        return new DecodedImage(width, height, pixels);
    }

    private static float[] Apply(IImageTransform transform, DecodedImage image)
    {
        var output = new float[3 * transform.OutputHeight * transform.OutputWidth];
        transform.Apply(image, output, new TransformContext(0, 0, 0));
        return output;
    }

    [Fact]
    public void CenterCropKeepsOnlyTheMiddle_StretchKeepsTheEdges()
    {
        var image = GreenEdgesWhiteMiddle();
        var crop = new PreprocessingSpec(4, 4, ResizeInterpolation.Bilinear, Raw);
        var stretch = crop with { ResizeMode = ResizeMode.Stretch };

        float[] cropped = Apply(new EvaluationTransform(crop), image);
        float[] stretched = Apply(new EvaluationTransform(stretch), image);

        // The 4 x 4 centre of a 4-high image is the white columns 2 to 5: every value is 255.
        Assert.All(cropped, v => Assert.Equal(255f, v));
        // Squeezed 2:1, the first and last columns are mostly green: red low, green full; the middle ones mostly white.
        const int plane = 16;
        for (int y = 0; y < 4; y++)
        {
            foreach (int x in new[] { 0, 3 })
            {
                Assert.InRange(stretched[(y * 4) + x], 1f, 60f);
                Assert.Equal(255f, stretched[plane + (y * 4) + x]);
            }
            foreach (int x in new[] { 1, 2 })
                Assert.InRange(stretched[(y * 4) + x], 200f, 254f);
        }
    }

    [Fact]
    public void StretchGivesTheBytesOfAWholeImageResize_AndIgnoresTheResizeSize()
    {
        var image = GreenEdgesWhiteMiddle();
        var stretch = new PreprocessingSpec(4, 9, ResizeInterpolation.Bicubic, Raw) { ResizeMode = ResizeMode.Stretch };

        float[] output = Apply(new EvaluationTransform(stretch), image);

        var expected = ImageResizer.Resize(image, 4, 4, ResizeInterpolation.Bicubic);
        for (int i = 0; i < 16; i++)
            for (int c = 0; c < 3; c++)
                Assert.Equal(expected.Pixels[(i * 3) + c], output[(c * 16) + i]);
    }

    [Fact]
    public void TrainingWithoutAugmentationStretchesAsEvaluationDoes()
    {
        var image = GreenEdgesWhiteMiddle();
        var stretch = new PreprocessingSpec(4, 4, ResizeInterpolation.Bilinear, Raw) { ResizeMode = ResizeMode.Stretch };

        Assert.Equal(Apply(new EvaluationTransform(stretch), image), Apply(new TrainingTransform(stretch), image));
        Assert.NotEqual(Apply(new EvaluationTransform(stretch with { ResizeMode = ResizeMode.CenterCrop }), image), Apply(new TrainingTransform(stretch), image));
    }

    [Fact]
    public void AnInputSizeOverrideKeepsTheMode()
    {
        var image = GreenEdgesWhiteMiddle();
        var stretch = new PreprocessingSpec(4, 4, ResizeInterpolation.Bilinear, Raw) { ResizeMode = ResizeMode.Stretch };
        var transform = new EvaluationTransform(stretch, inputSize: 2);

        Assert.Equal(ResizeMode.Stretch, transform.Spec.ResizeMode);
        // Two columns from eight: each is a quarter green, so neither is pure white as a centre crop would be.
        Assert.All(Apply(transform, image).AsSpan(0, 4).ToArray(), r => Assert.InRange(r, 1f, 254f));
    }

    [Fact]
    public void MlNetResNet18Stretches_AndTheDefaultIsTheCentreCrop()
    {
        Assert.Equal(ResizeMode.Stretch, OnnxPreprocessing.MlNetResNet18.ResizeMode);
        Assert.Equal(ResizeMode.CenterCrop, PreprocessingSpec.ImageNet224.ResizeMode);
        Assert.Equal(ResizeMode.CenterCrop, new PreprocessingSpec(8, 8, ResizeInterpolation.Bilinear, Raw).ResizeMode);
    }

    [Fact]
    public void AnUnknownModeIsRefusedByName()
    {
        var spec = new PreprocessingSpec(4, 4, ResizeInterpolation.Bilinear, Raw) { ResizeMode = (ResizeMode)7 };
        Assert.Contains("ResizeMode", Assert.Throws<ArgumentException>(spec.Validate).Message, StringComparison.Ordinal);
    }
}

using TransferKit.Data.Decoding;
using TransferKit.Data.Preprocessing;
using TransferKit.Models;

namespace TransferKit.Tests.Data.Preprocessing;

public sealed class EvaluationTransformTests
{
    public static TheoryData<string, PreprocessingSpec, int?> Cases => new()
    {
        // Resize(53), CenterCrop(48): the crop offset 2.5 rounds to 2.
        { "eval_bilinear_53_48_imagenet", new PreprocessingSpec(48, 53, ResizeInterpolation.Bilinear, NormalizationSpec.ImageNet), null },
        { "eval_bilinear_53_48_caffe", new PreprocessingSpec(48, 53, ResizeInterpolation.Bilinear, NormalizationSpec.Caffe), null },
        // timm-style override: crop fraction 0.875 kept at input 40, so the resize is floor(40 / 0.875) = 45.
        { "eval_bicubic_45_40_minus_one_to_one", new PreprocessingSpec(224, 256, ResizeInterpolation.Bicubic, NormalizationSpec.MinusOneToOne), 40 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTorchvisionCompose(string name, PreprocessingSpec spec, int? inputSize)
    {
        using var f = PreprocessingFixtures.Load("resize_photo_500x375");
        float[] expected = f.Floats(name);
        var transform = new EvaluationTransform(spec, inputSize);
        var actual = new float[3 * transform.OutputHeight * transform.OutputWidth];

        transform.Apply(SyntheticPhotoTests.FixturePhoto(f), actual, TransformContext.Evaluation);

        Assert.Equal(f.Shape(name)[1], transform.OutputHeight);
        NumericAssert.Close(expected, actual, 0f, Tolerances.PreprocessingAbsolute, name);
    }

    [Fact]
    public void InputSizeOverrideKeepsCropFraction()
    {
        var transform = new EvaluationTransform(PreprocessingSpec.ImageNet224, 288);
        Assert.Equal((288, 329), (transform.InputSize, transform.ResizeSize));
        Assert.False(transform.IsRandom);
        Assert.Equal(288, transform.OutputWidth);
    }

    [Fact]
    public void CifarUpsampleTo224HasTheRightShape()
    {
        var spec = new PreprocessingSpec(224, 224, ResizeInterpolation.Bilinear, NormalizationSpec.ImageNet);
        var transform = new EvaluationTransform(spec);
        DecodedImage image = ImageResizerTests.RandomImage(new Random(2), 32, 32);
        var output = new float[3 * 224 * 224];
        transform.Apply(image, output, TransformContext.Evaluation);

        var expected = new float[output.Length];
        new PixelNormalizer(spec.Normalization).Normalize(ImageResizer.Resize(image, 224, 224, ResizeInterpolation.Bilinear).Pixels, 224, 224, expected);
        Assert.Equal(expected, output);
    }

    [Fact]
    public void WrongDestinationLengthThrows()
    {
        var transform = new EvaluationTransform(new PreprocessingSpec(8, 10, ResizeInterpolation.Bilinear, NormalizationSpec.ImageNet));
        DecodedImage image = ImageResizerTests.RandomImage(new Random(1), 12, 12);
        Assert.Throws<ArgumentException>(() => transform.Apply(image, new float[3 * 8 * 8 - 1], default));
    }

    [Fact]
    public void InvalidSpecThrows() =>
        Assert.Throws<ArgumentException>(() => new EvaluationTransform(new PreprocessingSpec(224, 200, ResizeInterpolation.Bilinear, NormalizationSpec.ImageNet)));
}

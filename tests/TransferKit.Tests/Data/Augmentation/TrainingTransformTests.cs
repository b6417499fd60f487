using TransferKit.Data.Augmentation;
using TransferKit.Data.Decoding;
using TransferKit.Data.Preprocessing;
using TransferKit.Models;

namespace TransferKit.Tests.Data.Augmentation;

public sealed class TrainingTransformTests
{
    private static readonly PreprocessingSpec s_spec = new(32, 36, ResizeInterpolation.Bilinear, NormalizationSpec.ImageNet);

    private static readonly AugmentationOptions s_everything = new()
    {
        RandomResizedCrop = true,
        HorizontalFlipProbability = 0.5,
        RotationDegrees = 10,
        Brightness = 0.3,
        Contrast = 0.3,
        Saturation = 0.3,
        ErasingProbability = 0.5,
    };

    private static readonly DecodedImage s_image = SyntheticPhoto.Generate(60, 45, 3);

    private static float[] Run(IImageTransform transform, TransformContext context)
    {
        var output = new float[3 * transform.OutputHeight * transform.OutputWidth];
        transform.Apply(s_image, output, context);
        return output;
    }

    [Fact]
    public void WithoutAugmentationItEqualsTheEvaluationTransform()
    {
        var training = new TrainingTransform(s_spec);
        Assert.False(training.IsRandom);
        Assert.Equal(Run(new EvaluationTransform(s_spec), default), Run(training, new TransformContext(1, 2, 3)));
    }

    [Fact]
    public void SameContextGivesTheSameOutput()
    {
        var transform = new TrainingTransform(s_spec, s_everything);
        Assert.True(transform.IsRandom);
        var context = new TransformContext(42, 3, 17);
        Assert.Equal(Run(transform, context), Run(transform, context));
    }

    [Fact]
    public void DifferentSampleIndexOrEpochDiffers()
    {
        var transform = new TrainingTransform(s_spec, s_everything);
        float[] a = Run(transform, new TransformContext(42, 0, 0));
        Assert.NotEqual(a, Run(transform, new TransformContext(42, 0, 1)));
        Assert.NotEqual(a, Run(transform, new TransformContext(42, 1, 0)));
    }

    [Fact]
    public void ParallelCallsAgreeWithSequentialOnes()
    {
        var transform = new TrainingTransform(s_spec, s_everything);
        float[][] sequential = Enumerable.Range(0, 16).Select(i => Run(transform, new TransformContext(5, 0, i))).ToArray();
        var parallel = new float[16][];
        Parallel.For(0, 16, i => parallel[i] = Run(transform, new TransformContext(5, 0, i)));
        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void FlipAloneMirrorsTheEvaluationOutput()
    {
        var transform = new TrainingTransform(s_spec, new AugmentationOptions { HorizontalFlipProbability = 1.0 });
        float[] expected = Run(new EvaluationTransform(s_spec), default);
        RandomHorizontalFlip.Apply(expected, 32, 32);
        NumericAssert.Close(expected, Run(transform, new TransformContext(1, 0, 0)), 0f, 0f, "flipped");
    }

    [Fact]
    public void ErasingAloneWritesTheValueIntoOneBox()
    {
        var options = new AugmentationOptions { ErasingProbability = 1.0, ErasingValue = 100f };
        var transform = new TrainingTransform(s_spec, options);
        float[] plain = Run(new EvaluationTransform(s_spec), default);
        float[] erased = Run(transform, new TransformContext(9, 0, 0));

        int changed = 0;
        for (int i = 0; i < plain.Length; i++)
        {
            if (erased[i] == plain[i]) continue;
            Assert.Equal(100f, erased[i]);
            changed++;
        }

        Assert.InRange(changed, 3 * (int)(0.02 * 32 * 32 * 0.5), 3 * (int)(0.33 * 32 * 32 * 1.5));
    }

    [Fact]
    public void RandomResizedCropOutputHasTheInputSize()
    {
        var transform = new TrainingTransform(s_spec, new AugmentationOptions { RandomResizedCrop = true }, inputSize: 24);
        Assert.Equal((24, 24), (transform.OutputWidth, transform.OutputHeight));
        float[] output = Run(transform, new TransformContext(1, 0, 0));
        Assert.All(output, v => Assert.InRange(v, -2.2f, 2.7f));
    }

    [Fact]
    public void InvalidOptionsAreRejectedAtConstruction()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingTransform(s_spec, new AugmentationOptions { Brightness = -1 }));
        Assert.Equal(nameof(AugmentationOptions.Brightness), e.ParamName);
    }
}

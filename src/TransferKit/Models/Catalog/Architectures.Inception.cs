using TransferKit.Models.Inception;

namespace TransferKit.Models;

public static partial class Architectures
{
    /// <summary>
    /// torchvision's <c>inception_v3</c> without the auxiliary classifier (<see cref="Inception.InceptionV3"/>):
    /// 23,834,568 parameters (21,785,568 without <c>fc</c>), 5.713 GFLOPS at 299x299, 2048 features.
    /// Accuracy of <c>Inception_V3_Weights.IMAGENET1K_V1</c> (ported from the TensorFlow release): 77.294 / 93.450.
    /// Preprocessing: resize 342, centre crop 299, bilinear, then scaling to [-1, 1], which is what torchvision's ImageNet
    /// normalisation followed by its <c>transform_input</c> step computes for these weights.
    /// </summary>
    public static ArchitectureInfo InceptionV3 { get; } = new()
    {
        Name = "inception_v3",
        Family = "Inception",
        Create = (classes, seed) => new Inception.InceptionV3(new InceptionV3Options { Classes = classes, Seed = seed }),
        Preprocessing = new PreprocessingSpec(299, 342, ResizeInterpolation.Bilinear, NormalizationSpec.MinusOneToOne),
        ParameterCount = 23_834_568,
        ParameterCountWithoutHead = 21_785_568,
        GigaFlops = 5.713,
        Top1 = 77.294,
        Top5 = 93.450,
        AccuracySource = "torchvision 0.14 Inception_V3_Weights.IMAGENET1K_V1 (acc@1 77.294, acc@5 93.450)",
        FeatureDimension = Inception.InceptionV3.FeatureChannelCount,
        HeadName = "fc",
        Units = ["stem", .. InceptionStage.V3.Select(s => s.Name)],
    };

    /// <summary>The Inception family, for the catalog's full list.</summary>
    /// <remarks>Expression-bodied so that it never depends on the order of static initialisers across the partial files.</remarks>
    internal static IReadOnlyList<ArchitectureInfo> InceptionFamily => [InceptionV3];
}

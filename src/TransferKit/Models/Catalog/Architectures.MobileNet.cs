namespace TransferKit.Models;

public static partial class Architectures
{
    /// <summary>
    /// torchvision's <c>mobilenet_v2</c> with <c>MobileNet_V2_Weights.IMAGENET1K_V1</c>: 3,504,872 parameters, 0.301
    /// GFLOPS, 71.878 / 90.286 top-1 / top-5, resize 256, crop 224, bilinear, ImageNet statistics.
    /// </summary>
    public static ArchitectureInfo MobileNetV2 => MobileNetEntries.V2;

    /// <summary>
    /// torchvision's <c>mobilenet_v3_large</c> with <c>MobileNet_V3_Large_Weights.IMAGENET1K_V1</c>: 5,483,032
    /// parameters, 0.217 GFLOPS, 74.042 / 91.340 top-1 / top-5, resize 256, crop 224, bilinear, ImageNet statistics.
    /// </summary>
    public static ArchitectureInfo MobileNetV3Large => MobileNetEntries.V3Large;

    /// <summary>The MobileNet family: <see cref="MobileNetV2"/> and <see cref="MobileNetV3Large"/>.</summary>
    internal static IReadOnlyList<ArchitectureInfo> MobileNetFamily => [MobileNetV2, MobileNetV3Large];

    /// <summary>
    /// The entries live in a nested class so they are built on first use: static initialisers of a partial class run in
    /// an unspecified order across its files, and a catalog-wide list in another file must never see them unset.
    /// </summary>
    private static class MobileNetEntries
    {
        public static readonly ArchitectureInfo V2 = new()
        {
            Name = "mobilenet_v2",
            Family = "MobileNet",
            Create = (classes, seed) => new MobileNetV2(new MobileNetV2Options { Classes = classes, Seed = seed }),
            Preprocessing = PreprocessingSpec.ImageNet224,
            ParameterCount = 3_504_872,
            ParameterCountWithoutHead = 2_223_872,
            GigaFlops = 0.301,
            Top1 = 71.878,
            Top5 = 90.286,
            AccuracySource = "torchvision MobileNet_V2_Weights.IMAGENET1K_V1 (ImageNet-1K val, 224 crop): acc@1 71.878, acc@5 90.286",
            FeatureDimension = 1280,
            HeadName = "classifier",
            Units = FeatureUnitNames(19),
        };

        public static readonly ArchitectureInfo V3Large = new()
        {
            Name = "mobilenet_v3_large",
            Family = "MobileNet",
            Create = (classes, seed) => new MobileNetV3(new MobileNetV3Options { Classes = classes, Seed = seed }),
            Preprocessing = PreprocessingSpec.ImageNet224,
            ParameterCount = 5_483_032,
            ParameterCountWithoutHead = 2_971_952,
            GigaFlops = 0.217,
            Top1 = 74.042,
            Top5 = 91.340,
            AccuracySource = "torchvision MobileNet_V3_Large_Weights.IMAGENET1K_V1 (ImageNet-1K val, 224 crop): acc@1 74.042, acc@5 91.340",
            FeatureDimension = 960,
            HeadName = "classifier",
            Units = FeatureUnitNames(17),
        };

        /// <summary><c>features.0</c> .. <c>features.{count - 1}</c>: the unit names of networks built on torchvision's <c>features</c> Sequential.</summary>
        public static string[] FeatureUnitNames(int count) => [.. Enumerable.Range(0, count).Select(i => $"features.{i}")];
    }
}

namespace TransferKit.Models;

public static partial class Architectures
{
    /// <summary>
    /// DenseNet-121 (Huang et al. 2017), torchvision <c>densenet121</c>: 7,978,856 parameters, 2.83 GFLOPS, 1024 features, head
    /// <c>classifier</c>. Accuracy and preprocessing of DenseNet121_Weights.IMAGENET1K_V1 (resize 256, crop 224, bilinear).
    /// </summary>
    public static ArchitectureInfo DenseNet121 => DenseNetCatalog.DenseNet121;

    /// <summary>The DenseNets.</summary>
    internal static IReadOnlyList<ArchitectureInfo> DenseNetFamily => DenseNetCatalog.Family;

    private static class DenseNetCatalog
    {
        public static readonly ArchitectureInfo DenseNet121 = new()
        {
            Name = "densenet121",
            Family = "DenseNet",
            Create = (classes, seed) => new DenseNet(DenseNetConfig.DenseNet121, classes, seed),
            Preprocessing = PreprocessingSpec.ImageNet224,
            ParameterCount = 7_978_856,
            ParameterCountWithoutHead = 6_953_856,
            GigaFlops = 2.83,
            Top1 = 74.434,
            Top5 = 91.972,
            AccuracySource = "torchvision 0.14 DenseNet121_Weights.IMAGENET1K_V1 (ImageNet-1k acc@1 74.434, acc@5 91.972)",
            FeatureDimension = DenseNetConfig.DenseNet121.FeatureChannels,
            HeadName = "classifier",
            Units = ["stem", "denseblock1", "transition1", "denseblock2", "transition2", "denseblock3", "transition3", "denseblock4", "norm5"],
        };

        public static readonly IReadOnlyList<ArchitectureInfo> Family = [DenseNet121];
    }
}

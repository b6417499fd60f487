namespace TransferKit.Models;

public static partial class Architectures
{
    /// <summary>
    /// VGG-16 without batch norm (Simonyan and Zisserman 2014, configuration D), torchvision <c>vgg16</c>: 138,357,544 parameters
    /// (14,714,688 in the convolutions), 15.47 GFLOPS, 512 feature channels pooled to 7 x 7 (25,088 classifier inputs), head
    /// <c>classifier</c>. Accuracy and preprocessing of VGG16_Weights.IMAGENET1K_V1 (resize 256, crop 224, bilinear).
    /// </summary>
    public static ArchitectureInfo Vgg16 => VggCatalog.Vgg16;

    /// <summary>The VGG networks.</summary>
    internal static IReadOnlyList<ArchitectureInfo> VggFamily => VggCatalog.Family;

    private static class VggCatalog
    {
        public static readonly ArchitectureInfo Vgg16 = new()
        {
            Name = "vgg16",
            Family = "VGG",
            Create = (classes, seed) => new Vgg(VggConfig.Vgg16, classes, seed),
            Preprocessing = PreprocessingSpec.ImageNet224,
            ParameterCount = 138_357_544,
            ParameterCountWithoutHead = 14_714_688,
            GigaFlops = 15.47,
            Top1 = 71.592,
            Top5 = 90.382,
            AccuracySource = "torchvision 0.14 VGG16_Weights.IMAGENET1K_V1 (ImageNet-1k acc@1 71.592, acc@5 90.382)",
            FeatureDimension = VggConfig.Vgg16.FeatureChannels,
            HeadName = "classifier",
            Units = ["block1", "block2", "block3", "block4", "block5"],
        };

        public static readonly IReadOnlyList<ArchitectureInfo> Family = [Vgg16];
    }
}

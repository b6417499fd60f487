namespace TransferKit.Models;

public static partial class Architectures
{
    /// <summary>
    /// ResNet-18 (He et al. 2015), torchvision <c>resnet18</c>: 11,689,512 parameters, 1.81 GFLOPS, 512 features, head <c>fc</c>.
    /// Accuracy and preprocessing of ResNet18_Weights.IMAGENET1K_V1 (resize 256, crop 224, bilinear).
    /// </summary>
    public static ArchitectureInfo ResNet18 => ResNetCatalog.ResNet18;

    /// <summary>
    /// ResNet-34, torchvision <c>resnet34</c>: 21,797,672 parameters, 3.66 GFLOPS, 512 features, head <c>fc</c>.
    /// Accuracy and preprocessing of ResNet34_Weights.IMAGENET1K_V1 (resize 256, crop 224, bilinear).
    /// </summary>
    public static ArchitectureInfo ResNet34 => ResNetCatalog.ResNet34;

    /// <summary>
    /// ResNet-50 (v1.5), torchvision <c>resnet50</c>: 25,557,032 parameters, 4.09 GFLOPS, 2048 features, head <c>fc</c>.
    /// Accuracy and preprocessing of ResNet50_Weights.IMAGENET1K_V2, torchvision's default (resize 232, crop 224, bilinear).
    /// </summary>
    public static ArchitectureInfo ResNet50 => ResNetCatalog.ResNet50;

    /// <summary>
    /// ResNet-101 (v1.5), torchvision <c>resnet101</c>: 44,549,160 parameters, 7.80 GFLOPS, 2048 features, head <c>fc</c>.
    /// Accuracy and preprocessing of ResNet101_Weights.IMAGENET1K_V2 (resize 232, crop 224, bilinear).
    /// </summary>
    public static ArchitectureInfo ResNet101 => ResNetCatalog.ResNet101;

    /// <summary>
    /// ResNet-152 (v1.5), torchvision <c>resnet152</c>: 60,192,808 parameters, 11.51 GFLOPS, 2048 features, head <c>fc</c>.
    /// Accuracy and preprocessing of ResNet152_Weights.IMAGENET1K_V2 (resize 232, crop 224, bilinear).
    /// </summary>
    public static ArchitectureInfo ResNet152 => ResNetCatalog.ResNet152;

    /// <summary>The ResNets, shallowest first.</summary>
    internal static IReadOnlyList<ArchitectureInfo> ResNetFamily => ResNetCatalog.Family;

    // A nested holder is initialised on first use, so these entries never depend on the order in which the C# compiler
    // runs the static initialisers of Architectures' other partial files.
    private static class ResNetCatalog
    {
        private static readonly string[] Units = ["stem", "layer1", "layer2", "layer3", "layer4"];

        // torchvision's V2 weights are evaluated at resize 232, crop 224 (ResNet*_Weights.IMAGENET1K_V2.transforms).
        private static readonly PreprocessingSpec V2Preprocessing = new(224, 232, ResizeInterpolation.Bilinear, NormalizationSpec.ImageNet);

        public static readonly ArchitectureInfo ResNet18 = Entry("resnet18", ResNetConfig.ResNet18, 11_689_512, 11_176_512, 1.81,
            69.758, 89.078, "ResNet18_Weights.IMAGENET1K_V1", PreprocessingSpec.ImageNet224);

        public static readonly ArchitectureInfo ResNet34 = Entry("resnet34", ResNetConfig.ResNet34, 21_797_672, 21_284_672, 3.66,
            73.314, 91.420, "ResNet34_Weights.IMAGENET1K_V1", PreprocessingSpec.ImageNet224);

        public static readonly ArchitectureInfo ResNet50 = Entry("resnet50", ResNetConfig.ResNet50, 25_557_032, 23_508_032, 4.09,
            80.858, 95.434, "ResNet50_Weights.IMAGENET1K_V2", V2Preprocessing);

        public static readonly ArchitectureInfo ResNet101 = Entry("resnet101", ResNetConfig.ResNet101, 44_549_160, 42_500_160, 7.80,
            81.886, 95.780, "ResNet101_Weights.IMAGENET1K_V2", V2Preprocessing);

        public static readonly ArchitectureInfo ResNet152 = Entry("resnet152", ResNetConfig.ResNet152, 60_192_808, 58_143_808, 11.51,
            82.284, 96.002, "ResNet152_Weights.IMAGENET1K_V2", V2Preprocessing);

        public static readonly IReadOnlyList<ArchitectureInfo> Family = [ResNet18, ResNet34, ResNet50, ResNet101, ResNet152];

        private static ArchitectureInfo Entry(string name, ResNetConfig config, long parameters, long withoutHead, double gigaFlops,
            double top1, double top5, string weights, PreprocessingSpec preprocessing) => new()
            {
                Name = name,
                Family = "ResNet",
                Create = (classes, seed) => new ResNet(config, classes, seed),
                Preprocessing = preprocessing,
                ParameterCount = parameters,
                ParameterCountWithoutHead = withoutHead,
                GigaFlops = gigaFlops,
                Top1 = top1,
                Top5 = top5,
                AccuracySource = $"torchvision 0.14 {weights} (ImageNet-1k acc@1 {top1:0.###}, acc@5 {top5:0.###})",
                FeatureDimension = config.FeatureChannels,
                HeadName = "fc",
                Units = Units,
            };
    }
}

namespace TransferKit.Models;

public static partial class Architectures
{
    /// <summary>
    /// torchvision's <c>efficientnet_b0</c> with <c>EfficientNet_B0_Weights.IMAGENET1K_V1</c> (ported from the paper's
    /// TensorFlow weights): 5,288,548 parameters, 0.386 GFLOPS, 77.692 / 93.532 top-1 / top-5, resize 256, crop 224,
    /// BICUBIC, ImageNet statistics.
    /// </summary>
    public static ArchitectureInfo EfficientNetB0 => EfficientNetEntries.B0;

    /// <summary>The EfficientNet family: <see cref="EfficientNetB0"/>.</summary>
    internal static IReadOnlyList<ArchitectureInfo> EfficientNetFamily => [EfficientNetB0];

    /// <summary>Built on first use (see <c>MobileNetEntries</c> for why).</summary>
    private static class EfficientNetEntries
    {
        public static readonly ArchitectureInfo B0 = new()
        {
            Name = "efficientnet_b0",
            Family = "EfficientNet",
            Create = (classes, seed) => new EfficientNet(new EfficientNetOptions { Classes = classes, Seed = seed }),
            Preprocessing = new PreprocessingSpec(224, 256, ResizeInterpolation.Bicubic, NormalizationSpec.ImageNet),
            ParameterCount = 5_288_548,
            ParameterCountWithoutHead = 4_007_548,
            GigaFlops = 0.386,
            Top1 = 77.692,
            Top5 = 93.532,
            AccuracySource = "torchvision EfficientNet_B0_Weights.IMAGENET1K_V1 (ImageNet-1K val, resize 256 bicubic, 224 crop): acc@1 77.692, acc@5 93.532",
            FeatureDimension = 1280,
            HeadName = "classifier",
            Units = [.. Enumerable.Range(0, 9).Select(i => $"features.{i}")],
        };
    }
}

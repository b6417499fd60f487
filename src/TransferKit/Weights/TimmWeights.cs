using TransferKit.Models;

namespace TransferKit.Weights;

/// <summary>
/// Descriptors of timm's ImageNet-1k weights on the Hugging Face hub, with the URLs and evaluation preprocessing from
/// timm's pretrained configs. The caller supplies the SHA-256 (shown on each file's page on the hub), so a download is
/// never trusted unverified; TransferKit does not ship hashes it has not checked.
/// </summary>
public static class TimmWeights
{
    /// <summary>
    /// <c>resnet50.a1_in1k</c> (ResNet Strikes Back, procedure A1): 224 crop, crop fraction 0.95 (resize 235), bicubic,
    /// ImageNet statistics. Keys equal torchvision's.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="sha256"/> is not 64 hex digits.</exception>
    public static WeightsDescriptor ResNet50A1(string sha256) => Create(
        "ResNet-50 (timm a1_in1k)", "resnet50", "resnet50.a1_in1k", sha256,
        new PreprocessingSpec(224, 235, ResizeInterpolation.Bicubic, NormalizationSpec.ImageNet), TimmKeyMaps.ResNet);

    /// <summary><c>mobilenetv2_100.ra_in1k</c>: 224 crop, crop fraction 0.875 (resize 256), bicubic, ImageNet statistics.</summary>
    /// <exception cref="ArgumentException"><paramref name="sha256"/> is not 64 hex digits.</exception>
    public static WeightsDescriptor MobileNetV2(string sha256) => Create(
        "MobileNetV2 1.0 (timm ra_in1k)", "mobilenet_v2", "mobilenetv2_100.ra_in1k", sha256,
        new PreprocessingSpec(224, 256, ResizeInterpolation.Bicubic, NormalizationSpec.ImageNet), TimmKeyMaps.MobileNetV2);

    /// <summary><c>efficientnet_b0.ra_in1k</c>: 224 crop, crop fraction 0.875 (resize 256), bicubic, ImageNet statistics.</summary>
    /// <exception cref="ArgumentException"><paramref name="sha256"/> is not 64 hex digits.</exception>
    public static WeightsDescriptor EfficientNetB0(string sha256) => Create(
        "EfficientNet-B0 (timm ra_in1k)", "efficientnet_b0", "efficientnet_b0.ra_in1k", sha256,
        new PreprocessingSpec(224, 256, ResizeInterpolation.Bicubic, NormalizationSpec.ImageNet), TimmKeyMaps.EfficientNetB0);

    /// <summary>The hub URL of a timm model's safetensors file, e.g. <c>https://huggingface.co/timm/resnet50.a1_in1k/resolve/main/model.safetensors</c>.</summary>
    public static string HubUrl(string timmName)
    {
        ArgumentException.ThrowIfNullOrEmpty(timmName);
        return $"https://huggingface.co/timm/{timmName}/resolve/main/model.safetensors";
    }

    private static WeightsDescriptor Create(
        string name, string architecture, string timmName, string sha256, PreprocessingSpec preprocessing, KeyMap keyMap)
    {
        var descriptor = new WeightsDescriptor
        {
            Name = name,
            Architecture = architecture,
            Source = WeightsSource.FromUrl(HubUrl(timmName)),
            Sha256 = sha256,
            Preprocessing = preprocessing,
            KeyMap = keyMap,
        };
        descriptor.Validate();
        return descriptor;
    }
}

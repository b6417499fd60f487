namespace TransferKit.Models.Onnx;

/// <summary>The named pre-trained backbones (<see cref="PretrainedBackbone"/>) this library knows, by the name users type.</summary>
public static class PretrainedBackbones
{
    /// <summary>
    /// <c>mlnet-resnet18</c>: ML.NET's ImageNet-trained ResNet-18 (MIT) from the NuGet package
    /// <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.24.0, file <c>tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx</c>,
    /// with ML.NET's preprocessing (<see cref="OnnxPreprocessing.MlNetResNet18"/>: stretched to 224 x 224, BGR, 0-255,
    /// minus the channel means). Its units are <c>stem</c> and <c>block1</c> to <c>block9</c>; the head sees 512 pooled features.
    /// Reference it with <c>&lt;PackageReference Include="Microsoft.ML.DnnImageFeaturizer.ResNet18" Version="0.24.0" ExcludeAssets="all" /&gt;</c>.
    /// </summary>
    public static PretrainedBackbone MlNetResNet18 { get; } = new()
    {
        Name = "mlnet-resnet18",
        PackageId = OnnxBackbones.MlNetResNet18Package,
        PackageVersion = OnnxBackbones.MlNetResNet18Version,
        PathInPackage = "tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx",
        Options = OnnxBackbones.MlNetResNet18Options,
    };

    /// <summary>Every entry, in name order.</summary>
    public static IReadOnlyList<PretrainedBackbone> All { get; } = [MlNetResNet18];

    /// <summary>The entry named <paramref name="name"/> (case-insensitive; <c>_</c> counts as <c>-</c>), or null.</summary>
    public static PretrainedBackbone? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string wanted = name.Trim().Replace('_', '-');
        return All.FirstOrDefault(b => string.Equals(b.Name, wanted, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The entry whose package file <paramref name="path"/> is (see <see cref="PretrainedBackbone.IsPackageFile"/>), or null.</summary>
    public static PretrainedBackbone? ForFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return All.FirstOrDefault(b => b.IsPackageFile(path));
    }
}

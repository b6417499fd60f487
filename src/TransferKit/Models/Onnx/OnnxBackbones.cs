namespace TransferKit.Models.Onnx;

/// <summary>Known ONNX backbones that ship in NuGet packages, resolved from the NuGet global packages folder.</summary>
public static class OnnxBackbones
{
    /// <summary>The NuGet package of ML.NET's ImageNet ResNet-18 (MIT).</summary>
    public const string MlNetResNet18Package = "Microsoft.ML.DnnImageFeaturizer.ResNet18";

    /// <summary>The version of <see cref="MlNetResNet18Package"/> whose file layout and preprocessing are known.</summary>
    public const string MlNetResNet18Version = "0.24.0";

    /// <summary>How ML.NET's ResNet-18 imports: named "ResNet-18 (ML.NET)", with <see cref="OnnxPreprocessing.MlNetResNet18"/>.</summary>
    public static OnnxBackboneOptions MlNetResNet18Options { get; } = new() { Name = "ResNet-18 (ML.NET)", Preprocessing = OnnxPreprocessing.MlNetResNet18 };

    /// <summary>
    /// The path of ML.NET's ImageNet-trained ResNet-18 (<c>tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx</c> in
    /// <see cref="MlNetResNet18Package"/> <see cref="MlNetResNet18Version"/>), whose evaluation transform is
    /// <see cref="OnnxPreprocessing.MlNetResNet18"/>. A project that references the package has it after <c>dotnet restore</c>.
    /// </summary>
    /// <param name="packagesFolder">
    /// The NuGet global packages folder; null for <c>NUGET_PACKAGES</c> when set, else <c>~/.nuget/packages</c>.
    /// </param>
    /// <returns>The full path of the existing <c>.onnx</c> file.</returns>
    /// <exception cref="WeightsPackageNotFoundException">The package is not in the folder (it was never restored here).</exception>
    /// <remarks>The same as <c>PretrainedBackbones.MlNetResNet18.ResolvePath(packagesFolder)</c>.</remarks>
    public static string MlNetResNet18(string? packagesFolder = null) => PretrainedBackbones.MlNetResNet18.ResolvePath(packagesFolder);

    /// <summary>NuGet's own rule for the global packages folder: <c>NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>.</summary>
    internal static string DefaultPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}

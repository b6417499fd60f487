namespace TransferKit.Models.Onnx;

/// <summary>
/// A pre-trained ONNX backbone known by a short name (<c>mlnet-resnet18</c>) that ships in a NuGet package: the package
/// that holds it, the file inside the package, and how it imports (its preprocessing above all). A project that references
/// the package has the file after <c>dotnet restore</c>; <see cref="ResolvePath"/> finds it in the NuGet global packages
/// folder. Use one with <c>builder.UsePretrainedWeights(PretrainedBackbones.MlNetResNet18)</c>, or on the command line with
/// <c>--weights mlnet-resnet18</c>. The entries are listed in <see cref="PretrainedBackbones"/>.
/// </summary>
public sealed record PretrainedBackbone
{
    /// <summary>The short name users type, lower case with dashes, e.g. <c>mlnet-resnet18</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The NuGet package id, e.g. <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>.</summary>
    public required string PackageId { get; init; }

    /// <summary>The package version whose file layout and preprocessing are known.</summary>
    public required string PackageVersion { get; init; }

    /// <summary>The <c>.onnx</c> file's path inside the package folder, with forward slashes.</summary>
    public required string PathInPackage { get; init; }

    /// <summary>How the file imports: display name, feature output and <see cref="OnnxBackboneOptions.Preprocessing"/>.</summary>
    public required OnnxBackboneOptions Options { get; init; }

    /// <summary>The evaluation transform the weights expect (the <see cref="Options"/>' preprocessing).</summary>
    public PreprocessingSpec Preprocessing => Options.Preprocessing;

    /// <summary>The command that adds the package to a project: <c>dotnet add package ID --version V</c>.</summary>
    public string AddPackageCommand => $"dotnet add package {PackageId} --version {PackageVersion}";

    /// <summary>The path of the file in <paramref name="packagesFolder"/> (it may not exist).</summary>
    /// <param name="packagesFolder">The NuGet global packages folder; null for <c>NUGET_PACKAGES</c> when set, else <c>~/.nuget/packages</c>.</param>
    public string ExpectedPath(string? packagesFolder = null)
    {
        string root = packagesFolder ?? OnnxBackbones.DefaultPackagesFolder();
        // The global packages folder stores ids in lower case.
        string[] inside = PathInPackage.Split('/');
        return Path.GetFullPath(Path.Combine([root, PackageId.ToLowerInvariant(), PackageVersion, .. inside]));
    }

    /// <summary>The full path of the existing <c>.onnx</c> file in the NuGet global packages folder.</summary>
    /// <param name="packagesFolder">The NuGet global packages folder; null for <c>NUGET_PACKAGES</c> when set, else <c>~/.nuget/packages</c>.</param>
    /// <exception cref="WeightsPackageNotFoundException">
    /// The package is not in the folder (the project does not reference it, or it was never restored here); the message
    /// gives the <see cref="AddPackageCommand"/>.
    /// </exception>
    public string ResolvePath(string? packagesFolder = null)
    {
        string path = ExpectedPath(packagesFolder);
        return File.Exists(path) ? path : throw new WeightsPackageNotFoundException(PackageId, PackageVersion, path);
    }

    /// <summary>
    /// Whether <paramref name="path"/> is this entry's file in some packages folder (it ends with
    /// <c>id/version/PathInPackage</c>, compared without case), so a path given directly gets this entry's preprocessing.
    /// </summary>
    public bool IsPackageFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string tail = string.Join('/', PackageId, PackageVersion, PathInPackage);
        return Path.GetFullPath(path).Replace('\\', '/').EndsWith("/" + tail, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Formats as the short name.</summary>
    public override string ToString() => Name;
}

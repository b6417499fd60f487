namespace TransferKit.Models.Onnx;

/// <summary>
/// Raised when a model that ships in a NuGet package is not in the NuGet global packages folder: the package was never
/// restored on this machine. The message names the package to reference and the file that was looked for.
/// </summary>
public sealed class WeightsPackageNotFoundException : TransferKitException
{
    /// <summary>Creates the error for <paramref name="packageId"/> <paramref name="version"/>, missing at <paramref name="searchedPath"/>.</summary>
    public WeightsPackageNotFoundException(string packageId, string version, string searchedPath)
        : base($"{searchedPath}: not found. Reference the NuGet package {packageId} {version} in your project and restore: " +
               $"run 'dotnet add package {packageId} --version {version}' (or add <PackageReference Include=\"{packageId}\" Version=\"{version}\" ExcludeAssets=\"all\" />), " +
               "or pass the packages folder (NUGET_PACKAGES) that holds it.")
    {
        PackageId = packageId;
        Version = version;
        SearchedPath = searchedPath;
    }

    /// <summary>The NuGet package id, e.g. <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>.</summary>
    public string PackageId { get; }

    /// <summary>The package version looked for.</summary>
    public string Version { get; }

    /// <summary>The model file that does not exist.</summary>
    public string SearchedPath { get; }
}

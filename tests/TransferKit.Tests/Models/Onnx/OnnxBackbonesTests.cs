using TransferKit.Api;
using TransferKit.Models.Onnx;

namespace TransferKit.Tests.Models.Onnx;

/// <summary>The named entry for ML.NET's ResNet-18: found in a NuGet global packages folder, or a typed error naming the package.</summary>
public sealed class OnnxBackbonesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-onnx-backbones-").FullName;

    // The restored package's folder is <packages>/<id>/<version>; the test project's metadata names its DnnImageModels.
    private static string RealPackagesFolder => Path.GetFullPath(Path.Combine(MlNetResNet18Tests.ModelsFolder, "..", "..", "..", ".."));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void MlNetResNet18_IsFoundInTheRestoredPackagesFolder()
    {
        string path = OnnxBackbones.MlNetResNet18(RealPackagesFolder);

        Assert.Equal(Path.GetFullPath(Path.Combine(MlNetResNet18Tests.ModelsFolder, "ResNet18Onnx", "ResNet18.onnx")), path);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void MlNetResNet18_FollowsNuGetsLowerCaseLayout()
    {
        string folder = Path.Combine(_dir, "microsoft.ml.dnnimagefeaturizer.resnet18", "0.24.0", "tools", "DnnImageModels", "ResNet18Onnx");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "ResNet18.onnx"), [0]);

        Assert.Equal(Path.Combine(folder, "ResNet18.onnx"), OnnxBackbones.MlNetResNet18(_dir));
    }

    [Fact]
    public void MlNetResNet18_WhenThePackageIsMissing_NamesThePackageToReference()
    {
        var e = Assert.Throws<WeightsPackageNotFoundException>(() => OnnxBackbones.MlNetResNet18(_dir));

        Assert.Equal("Microsoft.ML.DnnImageFeaturizer.ResNet18", e.PackageId);
        Assert.Equal("0.24.0", e.Version);
        Assert.StartsWith(_dir, e.SearchedPath, StringComparison.Ordinal);
        Assert.Contains("PackageReference Include=\"Microsoft.ML.DnnImageFeaturizer.ResNet18\" Version=\"0.24.0\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseMlNetResNet18_BuildsTheFrozenBackboneWithMlNetsPreprocessing()
    {
        using var trainer = ImageClassifier.Create().LogToConsole(false).UseMlNetResNet18(RealPackagesFolder).WithClasses("a", "b", "c").Build();

        Assert.Equal(["stem", "block1", "block2", "block3", "block4", "block5", "block6", "block7", "block8", "block9"],
            trainer.Network.Units.Select(u => u.Name));
        Assert.Equal((512 * 3) + 3, trainer.TrainableParameterCount);
        Assert.Equal(OnnxPreprocessing.MlNetResNet18, trainer.Preprocessing);
    }
}

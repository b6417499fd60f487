using TransferKit.Api;
using TransferKit.Models;
using TransferKit.Models.Onnx;
using TransferKit.Tests.Models.Onnx;
using TransferKit.Weights;

namespace TransferKit.Tests.Api;

/// <summary>
/// "Weights a newcomer can name": UsePretrainedWeights takes safetensors, .pth and ONNX files (told by content) and the
/// named entries, routes ONNX to the ONNX backbone, and refuses what it cannot use with typed errors.
/// </summary>
public sealed class PretrainedWeightsRoutingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-weights-routing-").FullName;

    private static string Residual => Path.Combine(OnnxRuntimeOracle.FixtureFolder, "residual.onnx");

    private static string RealPackagesFolder => Path.GetFullPath(Path.Combine(MlNetResNet18Tests.ModelsFolder, "..", "..", "..", ".."));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Copy(string source, string name)
    {
        string path = Path.Combine(_dir, name);
        File.Copy(source, path);
        return path;
    }

    [Theory]
    [InlineData("residual.onnx")]
    [InlineData("weights.bin")]
    [InlineData("looks-like.safetensors")]
    public void AnOnnxModelIsToldByContent(string name)
    {
        Assert.Equal(WeightsFileFormat.Onnx, WeightsFiles.Detect(Copy(Residual, name)));
    }

    [Fact]
    public void TheRealMlNetResNet18IsAnOnnxModel()
    {
        Assert.Equal(WeightsFileFormat.Onnx, WeightsFiles.Detect(PretrainedBackbones.MlNetResNet18.ResolvePath(RealPackagesFolder)));
    }

    [Fact]
    public void ProtobufWithoutAGraph_ACutModel_AndNoiseAreNotOnnx()
    {
        byte[] model = File.ReadAllBytes(Residual);
        string cut = Path.Combine(_dir, "cut.onnx");
        File.WriteAllBytes(cut, model[..(model.Length / 2)]);
        string noGraph = Path.Combine(_dir, "nograph.onnx");
        File.WriteAllBytes(noGraph, [0x08, 0x07, 0x12, 0x03, (byte)'a', (byte)'b', (byte)'c']);
        string noise = Path.Combine(_dir, "noise.onnx");
        File.WriteAllBytes(noise, [.. Enumerable.Range(0, 64).Select(i => (byte)((i * 37) + 11))]);

        Assert.Equal(WeightsFileFormat.Unknown, WeightsFiles.Detect(cut));
        Assert.Equal(WeightsFileFormat.Unknown, WeightsFiles.Detect(noGraph));
        Assert.Equal(WeightsFileFormat.Unknown, WeightsFiles.Detect(noise));
    }

    [Theory]
    [InlineData("residual.onnx")]
    [InlineData("residual.pth")]
    public void AnOnnxFileBuildsAsUseOnnxBackboneDoes(string name)
    {
        string path = Copy(Residual, name);
        using var routed = ImageClassifier.Create().LogToConsole(false).UsePretrainedWeights(path).WithInputSize(24).WithClasses("a", "b", "c").Build();
        using var direct = ImageClassifier.Create().LogToConsole(false).UseOnnxBackbone(path).WithInputSize(24).WithClasses("a", "b", "c").Build();

        Assert.IsType<OnnxBackbone>(routed.Network);
        Assert.Equal(direct.Network.Units.Select(u => u.Name), routed.Network.Units.Select(u => u.Name));
        Assert.Equal(direct.TrainableParameterCount, routed.TrainableParameterCount);
        Assert.Equal(routed.Network.Units.Count, routed.FreezePlan.FrozenUnits);
        Assert.Equal(PreprocessingSpec.ImageNet224.Normalization, routed.Preprocessing.Normalization);
        // The same graph, weights and seeded head: every tensor is identical.
        var expected = TrainerState.Of(direct);
        var actual = TrainerState.Of(routed);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, values) in expected) Assert.Equal(values, actual[key]);
    }

    [Fact]
    public void AnOnnxFileBesideAnotherArchitectureIsAConflict()
    {
        string path = Copy(Residual, "residual.onnx");

        var catalog = Assert.Throws<BackboneConflictException>(() =>
            ImageClassifier.Create().UseArchitecture(Architectures.Get("resnet18")).UsePretrainedWeights(path).WithClasses("a", "b").Build());
        var baseline = Assert.Throws<BackboneConflictException>(() =>
            ImageClassifier.Create().UseBaselineCnn().UsePretrainedWeights(path).WithClasses("a", "b").Build());

        Assert.Equal("resnet18", catalog.Architecture);
        Assert.Contains(path, catalog.Message, StringComparison.Ordinal);
        Assert.Contains("UseArchitecture", catalog.Message, StringComparison.Ordinal);
        Assert.Equal(NetworkBlueprint.BaselineCnnName, baseline.Architecture);
    }

    [Fact]
    public void AKeyMapDoesNotApplyToAnOnnxModel()
    {
        string path = Copy(Residual, "residual.onnx");
        var error = Assert.Throws<ArgumentException>(() =>
            ImageClassifier.Create().UsePretrainedWeights(path, TimmKeyMaps.ResNet).WithInputSize(24).WithClasses("a", "b").Build());
        Assert.Contains("key map", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileOfNoKnownFormatIsRefusedNamingItAndTheFormats()
    {
        string path = Path.Combine(_dir, "weights.onnx");
        File.WriteAllText(path, "this is not a model");

        var error = Assert.Throws<WeightsFormatException>(() =>
            ImageClassifier.Create().UseArchitecture(Architectures.Get("resnet18")).UsePretrainedWeights(path).WithClasses("a", "b").Build());

        Assert.Equal(path, error.FilePath);
        Assert.Equal(WeightsFileFormat.Unknown, error.Format);
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        foreach (string format in new[] { ".safetensors", ".pth", ".onnx" }) Assert.Contains(format, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWeightsLoaderRefusesAnOnnxModelPointingToTheBackboneRoute()
    {
        string path = Copy(Residual, "residual.safetensors");
        using var network = new BaselineCnn(new BaselineCnnOptions { Channels = [4], Classes = 2 });

        var error = Assert.Throws<WeightsFormatException>(() => WeightsLoader.Load(network, path));

        Assert.Equal(WeightsFileFormat.Onnx, error.Format);
        Assert.Contains("UsePretrainedWeights", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheNamedEntryBuildsMlNetsResNet18WithItsPreprocessing()
    {
        using var named = ImageClassifier.Create().LogToConsole(false)
            .UsePretrainedWeights(PretrainedBackbones.MlNetResNet18, RealPackagesFolder).WithClasses("a", "b", "c").Build();

        Assert.Equal(["stem", "block1", "block2", "block3", "block4", "block5", "block6", "block7", "block8", "block9"], named.Network.Units.Select(u => u.Name));
        Assert.Equal((512 * 3) + 3, named.TrainableParameterCount);
        Assert.Equal(OnnxPreprocessing.MlNetResNet18, named.Preprocessing);
        Assert.Equal(ResizeMode.Stretch, named.Preprocessing.ResizeMode);
    }

    [Fact]
    public void ThePackageFileGivenAsAPathGetsTheEntrysPreprocessing()
    {
        string path = PretrainedBackbones.MlNetResNet18.ResolvePath(RealPackagesFolder);
        using var trainer = ImageClassifier.Create().LogToConsole(false).UsePretrainedWeights(path).WithClasses("a", "b").Build();

        Assert.Equal(OnnxPreprocessing.MlNetResNet18, trainer.Preprocessing);
        Assert.Same(PretrainedBackbones.MlNetResNet18, PretrainedBackbones.ForFile(path));
        Assert.Null(PretrainedBackbones.ForFile(Residual));
    }

    [Fact]
    public void AMissingPackageSaysTheDotnetAddPackageLine()
    {
        var builder = ImageClassifier.Create().UsePretrainedWeights(PretrainedBackbones.MlNetResNet18, _dir).WithClasses("a", "b");

        var error = Assert.Throws<WeightsPackageNotFoundException>(builder.Build);

        Assert.Contains("dotnet add package Microsoft.ML.DnnImageFeaturizer.ResNet18 --version 0.24.0", error.Message, StringComparison.Ordinal);
        Assert.StartsWith(_dir, error.SearchedPath, StringComparison.Ordinal);
    }

    [Fact]
    public void TheNamedEntryIsBesideAnotherArchitectureAConflict()
    {
        var error = Assert.Throws<BackboneConflictException>(() => ImageClassifier.Create().UseArchitecture(Architectures.Get("resnet18"))
            .UsePretrainedWeights(PretrainedBackbones.MlNetResNet18, RealPackagesFolder).WithClasses("a", "b").Build());
        Assert.Equal("mlnet-resnet18", error.Weights);
    }

    [Theory]
    [InlineData("mlnet-resnet18")]
    [InlineData("MLNET_ResNet18")]
    [InlineData(" mlnet-resnet18 ")]
    public void EntriesAreFoundByName(string name)
    {
        Assert.Same(PretrainedBackbones.MlNetResNet18, PretrainedBackbones.Find(name));
    }

    [Fact]
    public void AnUnknownNameIsNotAnEntry_AndTheEntryDescribesItsPackage()
    {
        Assert.Null(PretrainedBackbones.Find("resnet18"));
        Assert.Equal("dotnet add package Microsoft.ML.DnnImageFeaturizer.ResNet18 --version 0.24.0", PretrainedBackbones.MlNetResNet18.AddPackageCommand);
        Assert.Contains(PretrainedBackbones.MlNetResNet18, PretrainedBackbones.All);
    }

    [Fact]
    public void SafetensorsAndCheckpointsStillLoadIntoTheChosenArchitecture()
    {
        string safetensors = Path.Combine(_dir, "weights.onnx");
        using (var source = new BaselineCnn(new BaselineCnnOptions { Channels = [4, 8], Classes = 5, Seed = 3 }))
            SafetensorsWriter.Write(safetensors, source.StateDict());

        using var trainer = ImageClassifier.Create().LogToConsole(false).UseBaselineCnn(new BaselineCnnOptions { Channels = [4, 8] })
            .UsePretrainedWeights(safetensors).WithInputSize(16).WithClasses("a", "b").Build();

        Assert.IsType<BaselineCnn>(trainer.Network);
        Assert.Equal(trainer.Network.Units.Count, trainer.FreezePlan.FrozenUnits);
    }

    [Fact]
    public void AMissingFileWithoutArchitectureIsReportedAsMissing()
    {
        string path = Path.Combine(_dir, "absent.onnx");
        var error = Assert.Throws<FileNotFoundException>(() => ImageClassifier.Create().UsePretrainedWeights(path).WithClasses("a", "b").Build());
        Assert.Equal(path, error.FileName);
    }
}

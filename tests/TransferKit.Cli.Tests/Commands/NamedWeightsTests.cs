using TransferKit.Api;
using TransferKit.Models;
using TransferKit.Models.Onnx;

namespace TransferKit.Cli.Tests.Commands;

/// <summary>
/// Runs only where ML.NET's ResNet-18 is in the NuGet global packages folder; this project references the package, so
/// after a restore it is, and the skip reason says what is missing otherwise.
/// </summary>
public sealed class MlNetPackageFactAttribute : FactAttribute
{
    public MlNetPackageFactAttribute()
    {
        if (!File.Exists(PretrainedBackbones.MlNetResNet18.ExpectedPath()))
            Skip = $"{PretrainedBackbones.MlNetResNet18.ExpectedPath()} is missing: restore this project ({PretrainedBackbones.MlNetResNet18.AddPackageCommand}).";
    }
}

/// <summary>--weights takes a named backbone (mlnet-resnet18) or an .onnx file, and then needs no --arch.</summary>
[Collection(CliCollection.Name)]
public sealed class NamedWeightsTests(CliFixture fixture)
{
    private static string Residual => Path.Combine(AppContext.BaseDirectory, "Fixtures", "residual.onnx");

    private string[] Train(string output, params string[] more) =>
    [
        "train", "--data", fixture.DataDirectory, "--epochs", "1", "--batch-size", "8", "--seed", "1", "--validation-fraction", "0.25",
        "--out", output, .. more,
    ];

    [MlNetPackageFact]
    public async Task TheNamedEntryTrainsWithoutArch_AndSavesMlNetsStretchPreprocessing()
    {
        string output = fixture.PathFor("mlnet.safetensors");

        var run = (await CliRun.RunAsync(Train(output, "--weights", "mlnet-resnet18"))).AssertSuccess();

        Assert.Contains("weights: mlnet-resnet18, " + PretrainedBackbones.MlNetResNet18.ExpectedPath(), run.Error, StringComparison.Ordinal);
        Assert.Contains("network: mlnet-resnet18, 10 of 10 units frozen", run.Error, StringComparison.Ordinal);
        Assert.Contains($"saved {output}", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", run.Error, StringComparison.Ordinal);
        using var model = TrainedModel.Load(output);
        Assert.Equal(OnnxPreprocessing.MlNetResNet18, model.Metadata.Preprocessing);
        Assert.Equal(ResizeMode.Stretch, model.Metadata.Preprocessing.ResizeMode);
        Assert.Equal(NetworkBlueprint.OnnxName, model.Metadata.Network.Architecture);
    }

    [Fact]
    public async Task TheNamedEntryBesideArchIsAUsageError()
    {
        string message = (await CliRun.RunAsync(Train(fixture.PathFor("never.safetensors"), "--weights", "mlnet-resnet18", "--arch", "resnet18"))).AssertOneLineError(2);

        Assert.Contains("--weights mlnet-resnet18 is an ONNX model that brings its own architecture; leave out --arch resnet18", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingPackageSaysTheDotnetAddPackageLine()
    {
        string empty = Directory.CreateDirectory(fixture.PathFor("no-packages")).FullName;
        string? before = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        Environment.SetEnvironmentVariable("NUGET_PACKAGES", empty);
        try
        {
            string message = (await CliRun.RunAsync(Train(fixture.PathFor("never.safetensors"), "--weights", "mlnet-resnet18"))).AssertOneLineError(1);

            Assert.StartsWith(empty, message, StringComparison.Ordinal);
            Assert.Contains("dotnet add package Microsoft.ML.DnnImageFeaturizer.ResNet18 --version 0.24.0", message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NUGET_PACKAGES", before);
        }
    }

    [Fact]
    public async Task AnOnnxFileTrainsWithoutArch()
    {
        string output = fixture.PathFor("residual.safetensors");

        var run = (await CliRun.RunAsync(Train(output, "--weights", Residual, "--input-size", "24"))).AssertSuccess();

        Assert.Contains("network: residual, 3 of 3 units frozen", run.Error, StringComparison.Ordinal);
        using var model = TrainedModel.Load(output);
        Assert.Equal(NetworkBlueprint.OnnxName, model.Metadata.Network.Architecture);
        Assert.Equal(24, model.Metadata.Preprocessing.InputSize);
        Assert.Equal(ResizeMode.CenterCrop, model.Metadata.Preprocessing.ResizeMode);
    }

    [Fact]
    public async Task AnOnnxFileUnderAnotherExtensionIsStillTheBackbone_AndFreezeNamesItsUnits()
    {
        string renamed = fixture.PathFor("residual.pth");
        File.Copy(Residual, renamed);

        var run = (await CliRun.RunAsync(Train(fixture.PathFor("renamed.safetensors"), "--weights", renamed, "--input-size", "24", "--freeze", "upto:stem"))).AssertSuccess();
        Assert.Contains("1 of 3 units frozen", run.Error, StringComparison.Ordinal);

        string message = (await CliRun.RunAsync(Train(fixture.PathFor("never.safetensors"), "--weights", renamed, "--input-size", "24", "--freeze", "upto:layer9"))).AssertOneLineError(2);
        Assert.Contains("block2", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOnnxFileBesideArchIsAUsageError()
    {
        string message = (await CliRun.RunAsync(Train(fixture.PathFor("never.safetensors"), "--weights", Residual, "--arch", "baseline"))).AssertOneLineError(2);

        Assert.Contains("is an ONNX model that brings its own architecture; leave out --arch baseline", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutArchOtherWeightsOrNoneAreAUsageError()
    {
        string message = (await CliRun.RunAsync(Train(fixture.PathFor("never.safetensors")))).AssertOneLineError(2);

        Assert.Contains("--arch is required unless --weights is an ONNX model (.onnx) or a named backbone (mlnet-resnet18)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FrozenRandomWeightsAreWarnedAbout()
    {
        var run = (await CliRun.RunAsync(CliFixture.TinyTrainArguments(fixture.DataDirectory, fixture.PathFor("random.safetensors"), "--freeze", "1"))).AssertSuccess();

        Assert.Contains("transferkit: warning: 1 of the 2 units are frozen with random weights", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AFromScratchRunWithNothingFrozenHasNoWarning()
    {
        fixture.Train.AssertSuccess();
        Assert.DoesNotContain("warning", fixture.Train.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectDescribesAnOnnxModelAsABackbone()
    {
        var run = (await CliRun.RunAsync("inspect", Residual)).AssertSuccess();

        Assert.Contains(": ONNX model", run.Out, StringComparison.Ordinal);
        Assert.Contains("units     stem, block1, block2", run.Out, StringComparison.Ordinal);
        Assert.Contains("train with --weights residual.onnx and no --arch", run.Out, StringComparison.Ordinal);
    }

    [MlNetPackageFact]
    public async Task InspectShowsTheStretchOfAModelTrainedOnTheNamedEntry()
    {
        string output = fixture.PathFor("mlnet-inspect.safetensors");
        (await CliRun.RunAsync(Train(output, "--weights", "mlnet-resnet18"))).AssertSuccess();

        var run = (await CliRun.RunAsync("inspect", output)).AssertSuccess();

        Assert.Contains("224 px, stretched whole (no crop) bilinear", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ArchitecturesListsTheNamedWeights()
    {
        var run = (await CliRun.RunAsync("architectures")).AssertSuccess();

        Assert.Contains("Named weights: --weights mlnet-resnet18 (no --arch) is ResNet-18 (ML.NET) from the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0.",
            run.Out, StringComparison.Ordinal);
    }
}

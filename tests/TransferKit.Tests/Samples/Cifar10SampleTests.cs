using TransferKit.Samples;
using TransferKit.Samples.Cifar10;
using TransferKit.Training.Freezing;

namespace TransferKit.Tests.Samples;

/// <summary>Runs the Cifar10 sample's offline experiment end to end with tiny sizes, and checks its option parser.</summary>
public sealed class Cifar10SampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-cifar-sample-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task OfflineRunTrainsTheHeadOnAFrozenResNet50AndSavesTheModel()
    {
        var settings = new Cifar10Settings { ImageSize = 32, Epochs = 1, BatchSize = 8, TrainPerClass = 2, ValidationPerClass = 1, TestPerClass = 1 };
        var experiment = new Cifar10Experiment(settings, new SilentReporter());
        var split = experiment.SyntheticSplit();
        string modelPath = Path.Combine(_dir, "cifar10.safetensors");

        var result = await experiment.RunAsync(split, modelPath);

        Assert.Equal((20, 10, 10), (split.Train.Count, split.Validation.Count, split.Test.Count));
        Assert.Single(result.Training.Epochs);
        Assert.Equal(10, result.Test.ClassNames.Count);
        Assert.Equal(10, result.Test.SampleCount);
        Assert.InRange(result.Test.Accuracy, 0, 1);
        // Frozen backbone: only the head trains. At 32 px ResNet-50 ends in 2048 x 1 x 1, so the head is
        // BN(2048) + 2048*256+256 + BN(256) + 256*128+128 + BN(128) + 128*64+64 + 64*10+10 (no BatchNorm before the output layer).
        Assert.Equal((2 * 2048) + (2048 * 256) + 256 + (2 * 256) + (256 * 128) + 128 + (2 * 128) + (128 * 64) + 64 + (64 * 10) + 10,
            result.TrainableParameters);
        Assert.Equal(23_508_032 + result.TrainableParameters, result.TotalParameters);
        Assert.Contains("Confusion matrix", result.Test.ToText(), StringComparison.Ordinal);

        using var model = TransferKit.Api.TrainedModel.Load(modelPath);
        Assert.Equal(split.Train.ClassNames, model.ClassNames);
    }

    [Fact]
    public async Task WeightsFileWithTorchvisionKeysLoadsAndTheLastUnitTrains()
    {
        string weights = Path.Combine(_dir, "resnet50.safetensors");
        using (var imageNet = TransferKit.Models.Architectures.ResNet50.CreateImageNet())
        {
            TransferKit.Weights.SafetensorsWriter.Write(weights, imageNet.StateDict());
        }

        var settings = new Cifar10Settings
        {
            ImageSize = 32, Epochs = 1, BatchSize = 10, TrainPerClass = 1, ValidationPerClass = 0, TestPerClass = 1, Freeze = FreezeDepth.TrainLastUnits(1),
        };
        var experiment = new Cifar10Experiment(settings, new SilentReporter()) { WeightsPath = weights };

        var result = await experiment.RunAsync(experiment.SyntheticSplit(), Path.Combine(_dir, "cifar10.safetensors"));

        Assert.Null(result.Training.Epochs[0].ValidationAccuracy);
        Assert.True(result.TrainableParameters > 14_000_000, "layer4 (about 15M parameters) trains with the head");
        Assert.True(result.TrainableParameters < result.TotalParameters);
    }

    [Theory]
    [InlineData("--epochs", "0")]
    [InlineData("--bogus", "1")]
    [InlineData("--freeze", "half")]
    [InlineData("--freeze", "last0")]
    [InlineData("--size", "16")]
    [InlineData("--fraction", "0.1")]
    [InlineData("--data", "x", "--fraction", "1.5")]
    [InlineData("--weights", "https://example.com/resnet50.safetensors")]
    [InlineData("--data")]
    public void BadCommandLinesFailWithAUsageError(params string[] args) =>
        Assert.Throws<UsageException>(() => Cifar10Options.Parse(args));

    [Fact]
    public void OptionsParseBothSpellingsAndTheFreezeModes()
    {
        var options = Cifar10Options.Parse(["--data=cifar-10-batches-bin", "--fraction", "0.2", "--size", "224", "--freeze", "Last2", "--weights", "r50.safetensors"]);
        Assert.Equal("cifar-10-batches-bin", options.DataDirectory);
        Assert.Equal(0.2, options.Fraction);
        Assert.Equal(224, options.ImageSize);
        Assert.Equal("r50.safetensors", options.WeightsPath);
        Assert.Equal(FreezeDepth.TrainLastUnits(2), options.Freeze);
        Assert.Same(FreezeDepth.Backbone, Cifar10Options.Parse([]).Freeze);
        Assert.Same(FreezeDepth.None, Cifar10Options.ParseFreeze("none"));
    }
}

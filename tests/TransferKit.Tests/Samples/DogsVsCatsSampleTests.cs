using TransferKit.Samples;
using TransferKit.Samples.DogsVsCats;

namespace TransferKit.Tests.Samples;

/// <summary>Runs the DogsVsCats sample's offline experiment end to end with tiny sizes.</summary>
public sealed class DogsVsCatsSampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-dogs-sample-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task OfflineDemoComparesThreeModelsAndSavesTheBest()
    {
        var settings = new SyntheticSettings
        {
            BackboneChannels = [4, 8],
            SourcePerClass = 4,
            SourceEpochs = 1,
            TrainPerClass = 4,
            ValidationPerClass = 2,
            TestPerClass = 2,
            UnlabeledImages = 3,
            Target = new ExperimentSettings { ImageSize = 16, Epochs = 1, BatchSize = 4, PredictionsShown = 2 },
        };
        var demo = new SyntheticDemo(settings, _dir, new SilentReporter());
        string modelPath = Path.Combine(_dir, "best.safetensors");

        var result = await demo.RunAsync(modelPath);

        Assert.Equal(3, result.Rows.Count);
        Assert.Contains(result.Best, result.Rows);
        Assert.All(result.Rows, r => Assert.InRange(r.Test.Accuracy, 0, 1));
        Assert.True(result.Rows[1].TrainableParameters < result.Rows[0].TrainableParameters, "the frozen backbone trains fewer parameters");
        Assert.True(File.Exists(modelPath));
        Assert.Equal(2, result.Predictions.Count);

        using var model = TransferKit.Api.TrainedModel.Load(modelPath);
        string csv = Path.Combine(_dir, "submission.csv");
        Assert.Equal(3, KaggleSubmission.Write(model, Path.Combine(demo.DataDirectory, "test1"), csv));
        Assert.Equal(["id,label"], File.ReadLines(csv).Take(1));
    }

    [Theory]
    [InlineData("--epochs", "0")]
    [InlineData("--bogus", "1")]
    [InlineData("--arch", "resnet50")]
    [InlineData("--data", "x", "--weights", "https://example.com/w.safetensors")]
    public void BadCommandLinesFailWithAUsageError(params string[] args) =>
        Assert.Throws<UsageException>(() => SampleOptions.Parse(args));

    [Fact]
    public void OptionsParseBothSpellings()
    {
        var options = SampleOptions.Parse(["--data=dir", "--fraction", "0.2", "--size", "160"]);
        Assert.Equal("dir", options.DataDirectory);
        Assert.Equal(0.2, options.Fraction);
        Assert.Equal(160, options.ImageSize);
    }
}

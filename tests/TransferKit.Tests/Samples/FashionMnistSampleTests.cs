using TransferKit.Data.Datasets;
using TransferKit.Samples;
using TransferKit.Samples.FashionMnist;
using TransferKit.Tests.Models.Onnx;
using Xunit.Abstractions;

namespace TransferKit.Tests.Samples;

/// <summary>The FashionMnist sample: its --quick run on Debian's real Fashion-MNIST and ML.NET's real ResNet-18, and its command line.</summary>
public sealed class FashionMnistSampleTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-fashion-sample-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task QuickRun_OnTheRealData_PrintsThreeRows()
    {
        if (!Directory.Exists(FashionMnistDataset.DebianDirectory))
        {
            output.WriteLine($"skipped: {FashionMnistDataset.DebianDirectory} is missing (apt-get install dataset-fashion-mnist)");
            return;
        }
        var settings = FashionMnistOptions.Parse(["--quick"]).Settings;
        var split = FashionMnistExperiment.Split(null, settings);
        string weights = Path.Combine(MlNetResNet18Tests.ModelsFolder, "ResNet18Onnx", "ResNet18.onnx");

        var rows = await new FashionMnistExperiment(settings, weights, _dir, new SilentReporter()).RunAsync(split);
        using var text = new StringWriter();
        ConsoleReport.Print(rows, SampleConsole.Create(text, terminal: false));

        Assert.Equal(10 * settings.TestPerClass, split.Test.Count);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.InRange(r.Test.Accuracy, 0, 1));
        // The frozen run trains the linear head only: 512 pooled features to 10 classes.
        Assert.Equal((512 * 10) + 10, rows[1].TrainableParameters);
        Assert.True(rows[2].TrainableParameters > rows[1].TrainableParameters, "the fine-tune's second phase trains the last unit too");
        string printed = text.ToString();
        output.WriteLine(printed);
        Assert.DoesNotContain("\u001b", printed, StringComparison.Ordinal);
        string[] lines = printed.Split('\n');
        Assert.All(rows, r => Assert.Single(lines, l => l.Contains(r.Name, StringComparison.Ordinal) && l.Contains('%', StringComparison.Ordinal)));
    }

    [Fact]
    public void QuickSetsSmallCounts_AndExplicitOptionsOverrideThem()
    {
        var options = FashionMnistOptions.Parse(["--quick", "--test-per-class=5", "--seed", "7", "--data", "dir"]);
        Assert.True(options.Quick);
        Assert.Equal(3, options.Settings.TrainPerClass);
        Assert.Equal(5, options.Settings.TestPerClass);
        Assert.Equal(7, options.Settings.Seed);
        Assert.Equal("dir", options.DataDirectory);
        var defaults = FashionMnistOptions.Parse([]).Settings;
        Assert.Equal((200, 100, 200, 1), (defaults.TrainPerClass, defaults.ValidationPerClass, defaults.TestPerClass, defaults.Seed));
    }

    [Theory]
    [InlineData("--epochs", "0")]
    [InlineData("--bogus", "1")]
    [InlineData("--train-per-class")]
    [InlineData("--weights", "https://example.com/ResNet18.onnx")]
    public void BadCommandLinesFailWithAUsageError(params string[] args) =>
        Assert.Throws<UsageException>(() => FashionMnistOptions.Parse(args));
}

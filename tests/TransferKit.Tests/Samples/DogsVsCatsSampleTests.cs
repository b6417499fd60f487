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

    [Fact]
    public void TheReport_OnPlainOutput_HasWholeHeaders_OneLinePerRow_AndNoEscapeCodes()
    {
        static CandidateResult Row(string name, double accuracy) => new(name, Report(accuracy), Report(accuracy), Report(accuracy),
            TimeSpan.FromSeconds(12.5), 1_234_567, 2_345_678, 0);
        var rows = new[] { Row("Baseline CNN (from scratch)", 0.61), Row("mobilenet_v2, frozen backbone", 0.9), Row("mobilenet_v2, last 2 units fine-tuned", 0.95) };
        var result = new ComparisonResult(rows, rows[2], "/models/best.safetensors",
            [new SamplePrediction("/data/PetImages/Dog/17.jpg", "dog", "dog", 0.973f)], null);
        using var output = new StringWriter();

        ConsoleReport.Print(result, SampleConsole.Create(output, terminal: false));

        string text = output.ToString();
        Assert.DoesNotContain("\u001b", text, StringComparison.Ordinal);
        string[] lines = text.Split('\n');
        foreach (string header in new[] { "Baseline CNN (from scratch)", "mobilenet_v2, last 2 units fine-tuned *" }) Assert.Contains(lines, l => l.Contains(header, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Trainable params", StringComparison.Ordinal) && l.Contains("1,234,567", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Test accuracy", StringComparison.Ordinal) && l.Contains("61.0%", StringComparison.Ordinal) && l.Contains("95.0%", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Dog/17.jpg", StringComparison.Ordinal) && l.Contains("97.3%", StringComparison.Ordinal));
        Assert.DoesNotContain("…", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheReport_OnAnEightyColumnTerminal_CutsNoHeaderShort()
    {
        var rows = new[] { new CandidateResult("From scratch", Report(0.5), Report(0.5), Report(0.5), TimeSpan.FromSeconds(3), 9_999, 9_999, 0),
            new CandidateResult("Last unit fine-tuned", Report(0.8), Report(0.8), Report(0.8), TimeSpan.FromSeconds(3), 1_000, 9_999, 0) };
        using var output = new StringWriter();
        var console = SampleConsole.Create(output, terminal: false);
        console.Profile.Width = 80;

        ConsoleReport.Print(new ComparisonResult(rows, rows[1], "best.safetensors", [], null), console);

        string text = output.ToString();
        Assert.Contains("Last unit fine-tuned *", text);
        Assert.Contains("Validation accuracy", text);
        Assert.Contains("Trainable params", text);
        Assert.DoesNotContain("…", text, StringComparison.Ordinal);
    }

    private static TransferKit.Evaluation.ClassificationReport Report(double accuracy)
    {
        int right = (int)Math.Round(accuracy * 1000);
        var evaluator = new TransferKit.Evaluation.ClassificationEvaluator(["cat", "dog"]);
        for (int i = 0; i < 1000; i++) evaluator.Add(i < right ? [0.9f, 0.1f] : [0.1f, 0.9f], [0]);
        return evaluator.ToReport();
    }
}

// Cats vs. dogs, the seed articles' example: train a small CNN from scratch, then reuse a pre-trained backbone frozen
// and fine-tuned, and compare them on held-out images. With no arguments it runs offline on synthetic images in under a
// minute on 2 cores (seconds once the pre-trained backbone is cached); with --data it runs on Microsoft's PetImages or
// Kaggle's Dogs vs. Cats photos. See --help.
using System.Diagnostics;
using Spectre.Console;
using TransferKit;
using TransferKit.Api;
using TransferKit.Kernels.Gemm;
using TransferKit.Samples.DogsVsCats;
using TransferKit.Weights;
using TransferKit.Samples;

var clock = Stopwatch.StartNew();
try
{
    var options = SampleOptions.Parse(args);
    if (options.Help)
    {
        Console.WriteLine(SampleOptions.Usage);
        return 0;
    }

    string cache = Path.Combine(WeightsCache.DefaultDirectory(), "samples");
    string output = options.OutputDirectory ?? cache;
    Directory.CreateDirectory(output);
    string modelPath = Path.Combine(output, "dogs-vs-cats-best.safetensors");
    // Colours and bars on a terminal; plain, unwrapped text in a log (SampleConsole).
    var reporter = new SpectreReporter();
    var console = reporter.Console;
    console.Write(new Rule("[bold]TransferKit: cats vs. dogs[/]").LeftJustified());
    reporter.Info($"{(options.DataDirectory is null ? "Offline demo on synthetic images" : $"Photos from {options.DataDirectory}")}; {GemmDiagnostics.ActiveProviderDescription}");

    ComparisonResult result;
    string? testDirectory;
    if (options.DataDirectory is null)
    {
        var settings = new SyntheticSettings
        {
            Target = new ExperimentSettings
            {
                ImageSize = options.ImageSize ?? 32,
                Epochs = options.Epochs ?? 15,
                BatchSize = options.BatchSize ?? 16,
            },
        };
        var demo = new SyntheticDemo(settings, cache, reporter);
        result = await demo.RunAsync(modelPath);
        testDirectory = Path.Combine(demo.DataDirectory, "test1");
    }
    else
    {
        var experiment = new FolderExperiment(options, reporter);
        result = await experiment.RunAsync(modelPath);
        testDirectory = experiment.KaggleTestDirectory;
    }

    ConsoleReport.Print(result, console);
    if (testDirectory is not null && Directory.Exists(testDirectory))
    {
        using var model = TrainedModel.Load(modelPath);
        string csv = Path.Combine(output, "submission.csv");
        int rows = KaggleSubmission.Write(model, testDirectory, csv);
        console.MarkupLine($"Kaggle submission: {rows} rows (id, probability of dog) written to {Markup.Escape(csv)}");
    }
    console.MarkupLine($"[grey]Total time {clock.Elapsed.TotalSeconds:F0} s[/]");
    return 0;
}
catch (Exception e) when (e is UsageException or TransferKitException or IOException or UnauthorizedAccessException or ArgumentException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return e is UsageException ? 2 : 1;
}

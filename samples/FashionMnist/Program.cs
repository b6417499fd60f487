// Fashion-MNIST, the seed experiment on real weights and real data: a baseline CNN from scratch against ML.NET's
// ImageNet ResNet-18, frozen and fine-tuned in two phases, on the stratified, seeded split of
// benchmarks/peer/MlNetFashionMnist. The weights come from the NuGet package this project references. See --help.
using System.Reflection;
using Spectre.Console;
using TransferKit;
using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Kernels.Gemm;
using TransferKit.Models.Onnx;
using TransferKit.Samples;
using TransferKit.Samples.FashionMnist;

try
{
    var options = FashionMnistOptions.Parse(args);
    if (options.Help)
    {
        Console.WriteLine(FashionMnistOptions.Usage);
        return 0;
    }

    // The named entry's file, from the NuGet package this project references (dotnet run restores it: no download step).
    string weights = options.WeightsPath ?? PretrainedBackbones.MlNetResNet18.ResolvePath(RestoredPackagesFolder());
    if (!File.Exists(weights)) throw new UsageException($"--weights: no file '{weights}'.");
    string data = options.DataDirectory ?? FashionMnistDataset.DebianDirectory;
    if (!Directory.Exists(data)) throw new UsageException($"--data: no folder '{data}' (on Debian: apt-get install dataset-fashion-mnist).");
    var settings = options.Settings;

    var reporter = new SpectreReporter();
    var console = reporter.Console;
    console.Write(new Rule("[bold]TransferKit: Fashion-MNIST on ImageNet ResNet-18[/]").LeftJustified());
    reporter.Info(GemmDiagnostics.ActiveProviderDescription);
    reporter.Info($"Data: {data}; weights: {weights}");
    var split = FashionMnistExperiment.Split(data, settings);
    reporter.Info($"Seed {settings.Seed}: {split.Train.Count} training, {split.Validation.Count} validation, {split.Test.Count} test images " +
                  $"(per class {settings.TrainPerClass}, {settings.ValidationPerClass}, {settings.TestPerClass}); 28 px upsampled to " +
                  $"{settings.BaselineImageSize} px for the baseline, 224 px for ResNet-18");
    reporter.Info($"{settings.Epochs} epochs (fine-tune: {settings.Epochs} frozen + {settings.UnfrozenEpochs} unfrozen at a tenth of the rate), " +
                  $"batch {settings.BatchSize}, Adam at {settings.LearningRate}; frozen units and test predictions in " +
                  $"{InferencePrecisionSupport.Effective(settings.Precision)}" +
                  (InferencePrecisionSupport.IsAvailable(settings.Precision) ? "" : $" ({settings.Precision} unavailable: {InferencePrecisionSupport.UnavailableReason(settings.Precision)})"));

    string cacheDirectory = Directory.CreateTempSubdirectory("transferkit-fashion-mnist-").FullName;
    try
    {
        var rows = await new FashionMnistExperiment(settings, weights, cacheDirectory, reporter).RunAsync(split);
        ConsoleReport.Print(rows, console);
        if (options.JsonPath is { } json)
        {
            JsonReport.Write(json, rows, split);
            reporter.Info($"Wrote {json}");
        }
    }
    finally
    {
        Directory.Delete(cacheDirectory, recursive: true);
    }
    return 0;
}
catch (Exception e) when (e is UsageException or TransferKitException or IOException or UnauthorizedAccessException or ArgumentException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return e is UsageException ? 2 : 1;
}

// Where the build restored this project's packages, ML.NET's ResNet-18 among them (null: NuGet's default folder).
static string? RestoredPackagesFolder() =>
    typeof(FashionMnistOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "NuGetPackageRoot")?.Value is { Length: > 0 } folder ? folder : null;

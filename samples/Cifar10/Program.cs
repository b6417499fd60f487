// CIFAR-10, the seed article's setup: ResNet-50 with the 32 px images upsampled, a flattened head of three
// [BatchNorm, Dense, Dropout 0.5] blocks and a 10-way softmax, the backbone frozen. With no arguments it runs offline on
// 10 synthetic shape classes rendered at 32 px, upsampled to 64 px to stay fast; with --data it reads CIFAR-10's binary
// batches at 224 px. See --help.
using System.Diagnostics;
using Spectre.Console;
using TransferKit;
using TransferKit.Kernels.Gemm;
using TransferKit.Samples.Cifar10;
using TransferKit.Training.Freezing;
using TransferKit.Weights;
using TransferKit.Samples;

var clock = Stopwatch.StartNew();
try
{
    var options = Cifar10Options.Parse(args);
    if (options.Help)
    {
        Console.WriteLine(Cifar10Options.Usage);
        return 0;
    }

    if (options.WeightsPath is { } weights && !File.Exists(weights)) throw new UsageException($"--weights: no file '{weights}'.");
    if (options.DataDirectory is { } data && !Directory.Exists(data)) throw new UsageException($"--data: no folder '{data}'.");
    bool offline = options.DataDirectory is null;
    var settings = new Cifar10Settings
    {
        ImageSize = options.ImageSize ?? (offline ? 64 : 224),
        Epochs = options.Epochs ?? (offline ? 10 : 5),
        BatchSize = options.BatchSize ?? 32,
        Freeze = options.Freeze,
    };

    string output = options.OutputDirectory ?? Path.Combine(WeightsCache.DefaultDirectory(), "samples");
    Directory.CreateDirectory(output);
    string modelPath = Path.Combine(output, "cifar10-resnet50.safetensors");
    // Colours and bars on a terminal; plain, unwrapped text in a log (SampleConsole).
    var reporter = new SpectreReporter();
    var console = reporter.Console;
    console.Write(new Rule("[bold]TransferKit: CIFAR-10 on ResNet-50[/]").LeftJustified());
    reporter.Info(GemmDiagnostics.ActiveProviderDescription);
    reporter.Info(offline
        ? $"Offline demo: 10 synthetic shape classes rendered at 32 px, upsampled to {settings.ImageSize} px " +
          (options.ImageSize is null ? "(not the article's 224, to finish in seconds; --size 224 for that)" : "(--size)")
        : $"CIFAR-10 from {options.DataDirectory}" + (options.Fraction < 1 ? $", {options.Fraction:P0} of each split" : "") +
          $", upsampled to {settings.ImageSize} px");
    reporter.Info(options.WeightsPath is null
        ? "No --weights: ResNet-50 is randomly initialised, so this shows the mechanics only. Transfer needs real ImageNet weights: " +
          "pass torchvision's resnet50 state_dict saved as .safetensors."
        : $"Weights: {options.WeightsPath}");
    reporter.Info($"Freeze: {options.FreezeName}; {settings.Epochs} epochs, batch {settings.BatchSize}, Adam at {settings.LearningRate}");

    var experiment = new Cifar10Experiment(settings, reporter) { WeightsPath = options.WeightsPath };
    var split = offline ? experiment.SyntheticSplit() : Cifar10Experiment.CifarSplit(options.DataDirectory!, options.Fraction, settings.Seed);
    var result = await experiment.RunAsync(split, modelPath);

    ConsoleReport.Print(result, console);
    if (options.WeightsPath is null && options.Freeze != FreezeDepth.None)
    {
        reporter.Info("Expect little better than chance (10%): a frozen random backbone gives random features. With ImageNet weights " +
                      "the same head learns from what the backbone already knows; that is the point of transfer.");
    }
    console.MarkupLine($"[grey]Total time {clock.Elapsed.TotalSeconds:F0} s[/]");
    return 0;
}
catch (Exception e) when (e is UsageException or TransferKitException or IOException or UnauthorizedAccessException or ArgumentException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return e is UsageException ? 2 : 1;
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Synthetic;
using TransferKit.Kernels;
using TransferKit.Kernels.Gemm;
using TransferKit.Models;
using TransferKit.Training.Freezing;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>peer-transfer-run [frozen|last-stage] [images] [epochs] [dir]</c>: a whole transfer run of ResNet50 at 224 through
/// the ImageClassifier API (from scratch, as no pre-trained weights exist here), on synthetic cats-and-dogs JPEGs of
/// 224x224 written to <c>dir</c> (reused when present, so <c>benchmarks/peer/transfer_run.py</c> reads the same files).
/// "frozen" freezes the whole backbone (GAP + Linear head trains from the activation cache); "last-stage" trains layer4
/// and the head (the cache holds layer3's output). Prints one JSON line: cache fill, per-epoch and end-to-end seconds.
/// </summary>
internal static class TransferRunTimer
{
    public const int Size = 224, BatchSize = 32, Seed = 1;

    public static int Run(string[] args)
    {
        string mode = args.Length > 1 ? args[1] : "frozen";
        int images = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2000;
        int epochs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;
        string dir = args.Length > 4 ? args[4] : Path.Combine(Path.GetTempPath(), $"transferkit-cats-dogs-{images}");
        var depth = mode switch
        {
            "frozen" => FreezeDepth.Backbone,
            "last-stage" => FreezeDepth.TrainLastUnits(1),
            _ => throw new ArgumentException($"Unknown mode '{mode}': use frozen or last-stage.", nameof(args)),
        };

        double writeSeconds = WriteImagesOnce(dir, images);
        var data = ImageFileDataset.FromClassFolders(dir);
        var build = Stopwatch.StartNew();
        using var trainer = ImageClassifier.Create()
            .UseArchitecture(Architectures.ResNet50)
            .FromScratch()
            .Freeze(depth)
            .WithClasses([.. data.ClassNames])
            .WithTraining(o =>
            {
                o.Epochs = epochs;
                o.BatchSize = BatchSize;
                o.Seed = Seed;
            })
            .Build();
        double buildSeconds = build.Elapsed.TotalSeconds;
        var result = trainer.FitAsync(data).GetAwaiter().GetResult();
        double epochSum = result.Epochs.Sum(e => e.Duration.TotalSeconds);
        double total = result.TotalTime.TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            framework = "transferkit",
            mode,
            gemm = GemmEngine.Provider.Name,
            threads = Parallelism.DegreeOfParallelism,
            images = data.Count,
            epochs,
            frozen_units = $"{trainer.FreezePlan.FrozenUnits} of {trainer.Network.Units.Count}",
            trainable_parameters = trainer.TrainableParameterCount,
            cache = trainer.CacheDecision,
            write_images_seconds = Math.Round(writeSeconds, 2),
            build_seconds = Math.Round(buildSeconds, 2),
            // Everything in the fit that is not an epoch: the cache fill (frozen prefix over every image), loaders, setup.
            cache_fill_seconds = Math.Round(total - epochSum, 2),
            epoch_seconds = result.Epochs.Select(e => Math.Round(e.Duration.TotalSeconds, 3)).ToArray(),
            epoch_images_per_second = Math.Round(data.Count * epochs / epochSum, 1),
            total_seconds = Math.Round(total, 2),
            total_images_per_second = Math.Round(data.Count * epochs / total, 1),
            train_losses = result.Epochs.Select(e => Math.Round(e.TrainLoss, 4)).ToArray(),
        }));
        return 0;
    }

    /// <summary>Writes images/2 JPEGs per class unless the folder already holds them; returns the seconds spent.</summary>
    private static double WriteImagesOnce(string dir, int images)
    {
        int perClass = images / 2;
        var classes = SyntheticImageTask.CatsAndDogs.ClassNames;
        if (classes.All(c => Directory.Exists(Path.Combine(dir, c)) && Directory.GetFiles(Path.Combine(dir, c)).Length == perClass)) return 0;
        var clock = Stopwatch.StartNew();
        SyntheticImageTask.CatsAndDogs.Write(dir, new SyntheticImageOptions { ImagesPerClass = perClass, Width = Size, Height = Size, Seed = Seed });
        return clock.Elapsed.TotalSeconds;
    }
}

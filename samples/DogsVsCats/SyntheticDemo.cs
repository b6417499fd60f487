using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Data.Synthetic;
using TransferKit.Models;
using TransferKit.Training.Freezing;
using TransferKit.Weights;

namespace TransferKit.Samples.DogsVsCats;

/// <summary>
/// The offline demo: pre-trains a small backbone on the synthetic 12-class shapes task (or reuses it from the cache),
/// writes a small synthetic cats-and-dogs folder in Kaggle's layout, and compares training from scratch with frozen and
/// fine-tuned transfer of that backbone.
/// </summary>
public sealed class SyntheticDemo(SyntheticSettings settings, string cacheDirectory, IExperimentReporter reporter)
{
    private const int SourceSeed = 1, TargetSeed = 2, SourceBatchSize = 32;
    private const double SourceLearningRate = 3e-3;

    private BaselineCnnOptions Backbone => new() { Channels = settings.BackboneChannels };

    private string Tag => $"{string.Join('-', settings.BackboneChannels)}_{settings.Target.ImageSize}px";

    /// <summary>The folder the synthetic Kaggle-style data is written to (train/ and test1/).</summary>
    public string DataDirectory => Path.Combine(cacheDirectory,
        $"synthetic-dogs-vs-cats_{settings.Target.ImageSize}px_{settings.TrainPerClass}-{settings.ValidationPerClass}-{settings.TestPerClass}");

    /// <summary>Runs the whole demo; the best model is saved under <paramref name="modelPath"/>.</summary>
    public async Task<ComparisonResult> RunAsync(string modelPath, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(cacheDirectory);
        string backbone = await PretrainedBackboneAsync(cancellationToken).ConfigureAwait(false);
        var split = TargetSplit();
        reporter.Info($"Target task: {split.Train.Count} training, {split.Validation.Count} validation, {split.Test.Count} test images " +
                      $"({settings.Target.ImageSize} px) in {DataDirectory}");

        var target = settings.Target;
        Candidate[] candidates =
        [
            new("From scratch", b => b.UseBaselineCnn(Backbone).FromScratch(), target.LearningRate),
            new("Frozen backbone", b => b.UseBaselineCnn(Backbone).UsePretrainedWeights(backbone).Freeze(FreezeDepth.Backbone), target.LearningRate),
            new("Last unit fine-tuned", b => b.UseBaselineCnn(Backbone).UsePretrainedWeights(backbone), target.LearningRate, FreezeDepth.TrainLastUnits(1)),
        ];
        return await TransferComparison.RunAsync(candidates, split, target, modelPath, reporter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The source-task backbone's weights file, trained now unless a previous run with the same sizes saved it.</summary>
    public async Task<string> PretrainedBackboneAsync(CancellationToken cancellationToken = default)
    {
        string path = Path.Combine(cacheDirectory, $"shapes-backbone_{Tag}_{settings.SourcePerClass}x{settings.SourceEpochs}.safetensors");
        if (File.Exists(path))
        {
            reporter.Info($"Reusing the pre-trained source backbone {path}");
            return path;
        }

        var task = SyntheticImageTask.Shapes;
        var source = Render(task, settings.SourcePerClass, SourceSeed);
        reporter.Info($"Pre-training the backbone on the synthetic source task: {task.ClassNames.Count} classes, {source.Count} images");
        using var trainer = ImageClassifier.Create()
            .LogToConsole(false) // the reporter shows progress
            .UseBaselineCnn(Backbone)
            .WithInputSize(settings.Target.ImageSize)
            .WithTraining(o =>
            {
                o.Epochs = settings.SourceEpochs;
                o.BatchSize = SourceBatchSize;
                o.LearningRate = SourceLearningRate;
                o.Seed = SourceSeed;
            })
            .Build();
        var result = await reporter.TrackAsync("Pre-training on shapes", p => trainer.FitAsync(source, null, p, cancellationToken)).ConfigureAwait(false);
        reporter.Info($"Source task: training accuracy {result.Last!.TrainAccuracy:P1} after {result.Epochs.Count} epochs ({result.TotalTime.TotalSeconds:F1} s); saved {path}");
        SafetensorsWriter.Write(path, trainer.Network.StateDict());
        return path;
    }

    /// <summary>Writes (once) the synthetic target folder in Kaggle's layout and splits its train/ folder stratified.</summary>
    public DatasetSplit TargetSplit()
    {
        int perClass = settings.TrainPerClass + settings.ValidationPerClass + settings.TestPerClass;
        string train = Path.Combine(DataDirectory, "train");
        if (!Directory.Exists(train) || Directory.GetFiles(train).Length != perClass * SyntheticImageTask.CatsAndDogs.ClassNames.Count)
        {
            SyntheticImageTask.CatsAndDogs.Write(DataDirectory, new SyntheticImageOptions
            {
                ImagesPerClass = perClass,
                Width = settings.Target.ImageSize,
                Height = settings.Target.ImageSize,
                Format = SyntheticImageFormat.Png,
                Layout = SyntheticLayout.KaggleFlat,
                UnlabeledImages = settings.UnlabeledImages,
                Seed = TargetSeed,
            });
        }

        var data = KaggleDogsVsCats.Train(train);
        return data.Split((double)settings.TrainPerClass / perClass, (double)settings.ValidationPerClass / perClass,
            (double)settings.TestPerClass / perClass, TargetSeed);
    }

    private InMemoryImageDataset Render(SyntheticImageTask task, int perClass, int seed) =>
        SyntheticDatasets.Render(task, perClass, settings.Target.ImageSize, seed);
}

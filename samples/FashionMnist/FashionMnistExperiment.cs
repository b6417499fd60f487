using System.Diagnostics;
using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Models;
using TransferKit.Models.Onnx;
using TransferKit.Training.Caching;
using TransferKit.Training.Callbacks;
using TransferKit.Training.Freezing;

namespace TransferKit.Samples.FashionMnist;

/// <summary>
/// The seed experiment on real weights and real data: a baseline CNN trained from scratch, ML.NET's ImageNet ResNet-18
/// frozen with a new head, and a two-phase fine-tune of it, all on the same stratified, seeded Fashion-MNIST split.
/// </summary>
/// <param name="settings">Protocol and training settings.</param>
/// <param name="weightsPath">ML.NET's <c>ResNet18.onnx</c>.</param>
/// <param name="cacheDirectory">Where the frozen features are stored, so that the fine-tune's first phase reuses the frozen run's.</param>
/// <param name="reporter">Progress output.</param>
public sealed class FashionMnistExperiment(FashionMnistSettings settings, string weightsPath, string cacheDirectory, IExperimentReporter reporter)
{
    /// <summary>
    /// The split of benchmarks/peer/MlNetFashionMnist: per class, <see cref="FashionMnistSettings.TrainPerClass"/> training
    /// and <see cref="FashionMnistSettings.ValidationPerClass"/> validation images drawn from the official training set,
    /// and <see cref="FashionMnistSettings.TestPerClass"/> test images from the official test set, all seeded.
    /// </summary>
    /// <param name="directory">The folder of the four IDX files; null for Debian's <see cref="FashionMnistDataset.DebianDirectory"/>.</param>
    /// <param name="settings">The counts and the seed.</param>
    public static DatasetSplit Split(string? directory, FashionMnistSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var train = FashionMnistDataset.Load(directory, FashionMnistSplit.Train).SplitPerClass(settings.TrainPerClass, settings.ValidationPerClass, settings.Seed);
        var test = FashionMnistDataset.Load(directory, FashionMnistSplit.Test).SamplePerClass(settings.TestPerClass, settings.Seed);
        return new DatasetSplit(train.Train, train.Validation, test);
    }

    /// <summary>Trains and tests the three models in turn.</summary>
    /// <param name="split">Labelled train, validation and test sets of Fashion-MNIST's classes.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    /// <returns>The rows in order: baseline, frozen, fine-tuned.</returns>
    public async Task<IReadOnlyList<FashionMnistRow>> RunAsync(DatasetSplit split, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(split);
        int size = settings.BaselineImageSize;
        var baseline = await RunOneAsync("Baseline CNN (from scratch)", split, b => b.UseBaselineCnn().FromScratch()
            // The 28 px images are upsampled whole (no crop), as the seed article upsamples CIFAR-10.
            .WithPreprocessing(new PreprocessingSpec(size, size, ResizeInterpolation.Bilinear, NormalizationSpec.ImageNet))
            .WithInputSize(size), null, cancellationToken).ConfigureAwait(false);
        var frozen = await RunOneAsync("ResNet-18, frozen (head only)", split, ResNet18, null, cancellationToken).ConfigureAwait(false);
        var fineTuned = await RunOneAsync($"ResNet-18, fine-tuned (head, then last {settings.UnfrozenUnits} unit{(settings.UnfrozenUnits == 1 ? "" : "s")})",
            split, ResNet18, FreezeDepth.TrainLastUnits(settings.UnfrozenUnits), cancellationToken).ConfigureAwait(false);
        return [baseline, frozen, fineTuned];
    }

    // ML.NET's preprocessing: a resize straight to 224 (the 28 px image upsampled whole), BGR, 0-255, minus the mean.
    private ImageClassifierBuilder ResNet18(ImageClassifierBuilder builder) =>
        builder.UseOnnxBackbone(weightsPath, OnnxBackbones.MlNetResNet18Options);

    private async Task<FashionMnistRow> RunOneAsync(string name, DatasetSplit split, Func<ImageClassifierBuilder, ImageClassifierBuilder> configure,
        FreezeDepth? fineTune, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var builder = configure(ImageClassifier.Create().LogToConsole(false))
            .WithClasses([.. split.Train.ClassNames])
            .WithTraining(o =>
            {
                o.Epochs = settings.Epochs;
                o.BatchSize = settings.BatchSize;
                o.LearningRate = settings.LearningRate;
                o.Seed = settings.Seed;
                o.FrozenPrecision = settings.Precision;
                // A file cache outlives the frozen run, so the fine-tune's first phase finds the same features there.
                o.Cache = new ActivationCacheOptions { Storage = CacheStorage.MappedFile, Directory = cacheDirectory };
            });
        using var trainer = builder.Build();
        var validation = split.Validation.Count > 0 ? split.Validation : null;
        IReadOnlyList<TrainingWarning> warnings;
        if (fineTune is { } unfreeze)
        {
            var phases = await reporter.TrackAsync(name, progress => trainer.FineTuneAsync(split.Train, validation, settings.Epochs, settings.UnfrozenEpochs,
                unfreeze, progress: progress, cancellationToken: cancellationToken)).ConfigureAwait(false);
            warnings = [.. phases.Frozen.Warnings.Union(phases.Unfrozen.Warnings)];
        }
        else
        {
            warnings = (await reporter.TrackAsync(name, progress => trainer.FitAsync(split.Train, validation, progress, cancellationToken)).ConfigureAwait(false)).Warnings;
        }
        foreach (var warning in warnings) reporter.Info($"{name}: {warning}");
        if (trainer.CacheDecision is { } cache) reporter.Info($"{name}: activation cache {cache}");
        trainer.Model.Precision = settings.Precision;
        var test = trainer.Model.Evaluate(split.Test, settings.BatchSize);
        return new FashionMnistRow(name, test, clock.Elapsed, trainer.TrainableParameterCount, trainer.Network.ParameterCount());
    }
}

using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Data.Synthetic;
using TransferKit.Models;

namespace TransferKit.Samples.Cifar10;

/// <summary>
/// The seed article's CIFAR-10 setup: ResNet-50 with its 32 px images upsampled to <see cref="Cifar10Settings.ImageSize"/>,
/// a flattened head of three [BatchNorm, Dense, Dropout 0.5] blocks (256, 128, 64 units) and a 10-way softmax, the
/// backbone frozen by default. Without weights the backbone is randomly initialised, which shows the mechanics only:
/// transfer needs real ImageNet weights.
/// </summary>
public sealed class Cifar10Experiment(Cifar10Settings settings, IExperimentReporter reporter)
{
    /// <summary>Side of the CIFAR-10 images and of the synthetic stand-ins.</summary>
    public const int SourceSize = Cifar10Dataset.ImageSize;

    private const int Classes = 10;

    /// <summary>The seed article's head: Flatten, 3 x [BN, Dense 256/128/64, Dropout 0.5], Dense 10 softmax.</summary>
    public static HeadSpec Head { get; } = HeadSpec.Flattened().Hidden(256, 128, 64).BatchNorm().Dropout(0.5f);

    /// <summary>ResNet-50 weights (.safetensors, torchvision keys), or null for a randomly initialised backbone.</summary>
    public string? WeightsPath { get; init; }

    /// <summary>
    /// A CIFAR-like offline stand-in: the first 10 classes of the synthetic shapes task rendered at 32 x 32, split into
    /// the settings' train, validation and test counts per class.
    /// </summary>
    public DatasetSplit SyntheticSplit()
    {
        var task = SyntheticImageTask.Shapes;
        int perClass = settings.TrainPerClass + settings.ValidationPerClass + settings.TestPerClass;
        var images = new List<DecodedImage>(perClass * Classes);
        var labels = new List<int>(perClass * Classes);
        for (int i = 0; i < perClass; i++)
        {
            for (int label = 0; label < Classes; label++)
            {
                images.Add(task.Render(label, SourceSize, SourceSize, (settings.Seed * 1_000_003) + (i * 101) + label));
                labels.Add(label);
            }
        }

        var data = InMemoryImageDataset.FromDecoded(images, labels, task.ClassNames.Take(Classes).ToArray());
        return data.Split((double)settings.TrainPerClass / perClass, (double)settings.ValidationPerClass / perClass,
            (double)settings.TestPerClass / perClass, settings.Seed);
    }

    /// <summary>
    /// CIFAR-10 from its binary batches: a stratified <paramref name="fraction"/> of the 50,000 training images (10% of
    /// them held out for validation) and the same fraction of the 10,000 test images.
    /// </summary>
    /// <param name="directory"><c>cifar-10-batches-bin</c> or the folder that contains it.</param>
    /// <param name="fraction">Share of each split to use, in (0, 1].</param>
    /// <param name="seed">Seed of the sampling.</param>
    /// <exception cref="UsageException">The folder is missing.</exception>
    public static DatasetSplit CifarSplit(string directory, double fraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory)) throw new UsageException($"--data: no folder '{directory}'.");
        var train = Cifar10Dataset.Load(directory, Cifar10Split.Train).Sample(fraction, seed);
        var test = Cifar10Dataset.Load(directory, Cifar10Split.Test).Sample(fraction, seed);
        var trainValidation = train.Split(0.9, 0.1, 0, seed);
        return new DatasetSplit(trainValidation.Train, trainValidation.Validation, test);
    }

    /// <summary>Builds ResNet-50 with the head, trains it on <paramref name="split"/>, evaluates on its test set and saves the model.</summary>
    /// <param name="split">Labelled train, validation (may be empty) and test sets of the same classes.</param>
    /// <param name="modelPath">Where the trained model is saved (overwritten).</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    public async Task<Cifar10Result> RunAsync(DatasetSplit split, string modelPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(split);
        int size = settings.ImageSize;
        // The reporter shows progress; the library's own console log would interleave with its bar.
        var builder = ImageClassifier.Create().LogToConsole(false).UseArchitecture(Architectures.ResNet50);
        builder = WeightsPath is null ? builder.FromScratch() : builder.UsePretrainedWeights(WeightsPath);
        using var trainer = builder
            .Freeze(settings.Freeze)
            .WithHead(Head)
            // The seed article upsamples the whole 32 px image (Keras UpSampling2D): resize to the input size, no crop.
            .WithPreprocessing(new PreprocessingSpec(size, size, ResizeInterpolation.Bilinear, NormalizationSpec.ImageNet))
            .WithInputSize(size)
            .WithClasses([.. split.Train.ClassNames])
            .WithTraining(o =>
            {
                o.Epochs = settings.Epochs;
                o.BatchSize = settings.BatchSize;
                o.LearningRate = settings.LearningRate;
                o.Seed = settings.Seed;
            })
            .Build();

        reporter.Info($"ResNet-50 + head {Head.Describe(split.Train.ClassNames.Count)}: {trainer.TrainableParameterCount:N0} trainable of " +
                      $"{trainer.Network.ParameterCount():N0} parameters ({trainer.FrozenParameterCount:N0} frozen, " +
                      $"{trainer.BatchNormStatisticCount:N0} BatchNorm statistics)");
        reporter.Info($"{split.Train.Count} training, {split.Validation.Count} validation, {split.Test.Count} test images, " +
                      (size == SourceSize ? $"at {size} px" : $"upsampled from {SourceSize} to {size} px"));

        var validation = split.Validation.Count > 0 ? split.Validation : null;
        var fit = await reporter.TrackAsync("ResNet-50", p => trainer.FitAsync(split.Train, validation, p, cancellationToken)).ConfigureAwait(false);
        // Without --weights the frozen backbone is random: the library says so, and the sample passes it on.
        foreach (var warning in fit.Warnings) reporter.Info(warning.ToString());
        if (trainer.CacheDecision is { } cache) reporter.Info($"Activation cache: {cache}");
        var model = trainer.Model;
        var test = model.Evaluate(split.Test, settings.BatchSize);
        model.Save(modelPath);
        return new Cifar10Result(fit, test, trainer.TrainableParameterCount, trainer.Network.ParameterCount(), modelPath);
    }
}

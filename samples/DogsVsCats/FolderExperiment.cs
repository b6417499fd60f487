using TransferKit.Data.Datasets;
using TransferKit.Models;
using TransferKit.Training.Freezing;

namespace TransferKit.Samples.DogsVsCats;

/// <summary>
/// The comparison on real photos: Microsoft PetImages (<c>Cat/</c>, <c>Dog/</c>) or Kaggle's <c>train/</c> folder,
/// optionally sampled, split 80/10/10 stratified; the seed article's baseline CNN from scratch against an ImageNet
/// architecture with its top frozen and with its last two units fine-tuned.
/// </summary>
public sealed class FolderExperiment(SampleOptions options, IExperimentReporter reporter)
{
    private const int SplitSeed = 1;

    /// <summary>The shared training settings for photos (224 px, 5 epochs, batch 32, 1e-3 and 1e-4 for fine-tuning).</summary>
    public ExperimentSettings Settings => new()
    {
        ImageSize = options.ImageSize ?? 224,
        Epochs = options.Epochs ?? 5,
        BatchSize = options.BatchSize ?? 32,
        LearningRate = 1e-3,
        FineTuneLearningRate = 1e-4,
        Seed = SplitSeed,
    };

    /// <summary>Kaggle's unlabelled test folder beside the training folder, or null.</summary>
    public string? KaggleTestDirectory { get; private set; }

    /// <summary>Loads, splits and compares; the best model is saved under <paramref name="modelPath"/>.</summary>
    /// <exception cref="UsageException">The folder, architecture or weights file is not usable.</exception>
    public async Task<ComparisonResult> RunAsync(string modelPath, CancellationToken cancellationToken = default)
    {
        var architecture = Architecture();
        if (options.WeightsPath is { } weights && !File.Exists(weights)) throw new UsageException($"--weights: no file '{weights}'.");
        IImageDataset data = Load();
        if (options.Fraction < 1) data = data.Sample(options.Fraction, SplitSeed);
        var split = data.Split(0.8, 0.1, 0.1, SplitSeed);
        reporter.Info($"{data.Describe()}: {split.Train.Count} train, {split.Validation.Count} validation, {split.Test.Count} test; {Settings.ImageSize} px");

        var settings = Settings;
        var candidates = new List<Candidate> { new("Baseline CNN (from scratch)", b => b.UseBaselineCnn().FromScratch(), settings.LearningRate) };
        if (options.WeightsPath is { } path)
        {
            candidates.Add(new($"{architecture.Name}, frozen backbone", b => b.UseArchitecture(architecture).UsePretrainedWeights(path).Freeze(FreezeDepth.Backbone), settings.LearningRate));
            candidates.Add(new($"{architecture.Name}, last 2 units fine-tuned", b => b.UseArchitecture(architecture).UsePretrainedWeights(path), settings.LearningRate, FreezeDepth.TrainLastUnits(2)));
        }
        else
        {
            reporter.Info($"No --weights: only the baseline is trained. Pass {architecture.Name}'s ImageNet weights as a local .safetensors file to compare transfer.");
        }
        return await TransferComparison.RunAsync(candidates, split, settings, modelPath, reporter, cancellationToken).ConfigureAwait(false);
    }

    private ArchitectureInfo Architecture()
    {
        try
        {
            return Architectures.Get(options.Architecture);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--arch: {e.Message}");
        }
    }

    /// <summary>Reads PetImages' Cat/ and Dog/, a Kaggle root with train/ (and test1/), or Kaggle's train/ itself.</summary>
    private ImageFileDataset Load()
    {
        string dir = options.DataDirectory!;
        if (!Directory.Exists(dir)) throw new UsageException($"--data: no folder '{dir}'.");
        var folder = ImageFileDataset.DetectFolder(dir);
        reporter.Info($"{folder.LabelledDirectory}: {folder.LayoutDescription}");
        KaggleTestDirectory = folder.UnlabeledDirectory;
        return folder.Dataset;
    }
}

using System.Reflection;
using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Models;
using TransferKit.Models.Onnx;
using TransferKit.Training.Freezing;
using TransferKit.Weights;

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
        var named = options.WeightsPath is { } name ? PretrainedBackbones.Find(name) : null;
        var architecture = Architecture();
        if (named is null && options.WeightsPath is { } weights && !File.Exists(weights)) throw new UsageException($"--weights: no file '{weights}'.");
        IImageDataset data = Load();
        if (options.Fraction < 1) data = data.Sample(options.Fraction, SplitSeed);
        var split = data.Split(0.8, 0.1, 0.1, SplitSeed);
        reporter.Info($"{data.Describe()}: {split.Train.Count} train, {split.Validation.Count} validation, {split.Test.Count} test; {Settings.ImageSize} px");

        var settings = Settings;
        var candidates = new List<Candidate> { new("Baseline CNN (from scratch)", b => b.UseBaselineCnn().FromScratch(), settings.LearningRate) };
        if (named is not null)
        {
            // A named backbone is an ONNX model with its own architecture and preprocessing: --arch does not apply.
            string? packages = RestoredPackagesFolder();
            reporter.Info($"Weights: {named.Name}, {named.ResolvePath(packages)}");
            candidates.Add(new($"{named.Options.Name}, frozen backbone", b => b.UsePretrainedWeights(named, packages).Freeze(FreezeDepth.Backbone), settings.LearningRate));
            candidates.Add(new($"{named.Options.Name}, last 2 units fine-tuned", b => b.UsePretrainedWeights(named, packages), settings.LearningRate, FreezeDepth.TrainLastUnits(2)));
        }
        else if (options.WeightsPath is { } path)
        {
            // An ONNX model brings its own architecture; other weights files load into --arch.
            bool onnx = WeightsFiles.Detect(path) == WeightsFileFormat.Onnx;
            string label = onnx ? Path.GetFileNameWithoutExtension(path) : architecture.Name;
            Func<ImageClassifierBuilder, ImageClassifierBuilder> start = onnx ? b => b.UsePretrainedWeights(path) : b => b.UseArchitecture(architecture).UsePretrainedWeights(path);
            candidates.Add(new($"{label}, frozen backbone", b => start(b).Freeze(FreezeDepth.Backbone), settings.LearningRate));
            candidates.Add(new($"{label}, last 2 units fine-tuned", start, settings.LearningRate, FreezeDepth.TrainLastUnits(2)));
        }
        else
        {
            reporter.Info($"No --weights: only the baseline is trained. Pass {architecture.Name}'s ImageNet weights as a local .safetensors file, or --weights mlnet-resnet18, to compare transfer.");
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

    /// <summary>Where the build restored this project's packages, ML.NET's ResNet-18 among them (null: NuGet's default folder).</summary>
    private static string? RestoredPackagesFolder() =>
        typeof(FolderExperiment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "NuGetPackageRoot")?.Value is { Length: > 0 } folder ? folder : null;

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

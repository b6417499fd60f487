using TransferKit.Api;
using TransferKit.Cli.Parsing;
using TransferKit.Data.Augmentation;
using TransferKit.Models;
using TransferKit.Training.Callbacks;
using TransferKit.Training.Freezing;

namespace TransferKit.Cli.Commands;

/// <summary>Turns an architecture, an optional local weights file and the shared training settings into a classifier builder.</summary>
internal static class ClassifierSetup
{
    /// <summary>Checks what can be checked before any data or weights are read, so mistakes are usage errors that cost nothing.</summary>
    /// <exception cref="UsageException">The freeze depth does not fit the architecture, or timm names are asked for where no map exists.</exception>
    public static void Check(ArchitectureChoice architecture, TrainingSettings settings)
    {
        settings.Freeze?.CheckAgainst("--freeze", architecture.Name, architecture.UnitNames(settings.BaselineBlocks));
        if (!architecture.IsBaseline) KeyMaps.For(settings.KeyMap, architecture);
    }

    /// <summary>A builder for <paramref name="architecture"/>, from <paramref name="weightsPath"/> or from scratch when it is null.</summary>
    /// <param name="architecture">The network.</param>
    /// <param name="weightsPath">A local safetensors file of pre-trained weights, or null (ignored for an ONNX backbone, which holds its own).</param>
    /// <param name="settings">The shared options.</param>
    /// <param name="validationFraction">The hold-out the trainer itself should take (0 when the caller splits).</param>
    /// <param name="callback">A per-epoch callback, or null.</param>
    public static ImageClassifierBuilder Create(ArchitectureChoice architecture, string? weightsPath, TrainingSettings settings,
        double validationFraction, ITrainingCallback? callback)
    {
        // The CLI shows progress itself (a bar or plain lines on standard error); standard output is for results.
        var builder = ImageClassifier.Create().LogToConsole(false);
        if (architecture.OnnxModel is not null)
        {
            // The imported graph is the backbone and holds its weights (as UseOnnxBackbone does), frozen unless --freeze says otherwise.
            builder.UseArchitecture(architecture.Info!).FromScratch().Freeze(FreezeDepth.Backbone);
        }
        else if (architecture.Info is { } info)
        {
            builder.UseArchitecture(info);
            if (weightsPath is null) builder.FromScratch();
            else builder.UsePretrainedWeights(weightsPath, KeyMaps.For(settings.KeyMap, architecture));
        }
        else
        {
            builder.UseBaselineCnn(settings.BaselineChannels is { } channels ? new BaselineCnnOptions { Channels = channels } : null);
            if (weightsPath is not null) builder.UsePretrainedWeights(weightsPath, null);
        }
        if (settings.Freeze is { } freeze) builder.Freeze(freeze.ToFreezeDepth());
        if (settings.InputSize is int size) builder.WithInputSize(size);
        if (callback is not null) builder.WithCallback(callback);
        return builder
            .WithHead(settings.Head)
            .WithTraining(o =>
            {
                o.Epochs = settings.Epochs;
                o.BatchSize = settings.BatchSize;
                o.LearningRate = settings.LearningRate;
                o.Optimizer = settings.Optimizer;
                o.Seed = settings.Seed;
                o.ValidationFraction = validationFraction;
                o.Augmentation = settings.Augment ? AugmentationOptions.Standard : AugmentationOptions.None;
                o.DegreeOfParallelism = settings.Threads;
                o.Cache = o.Cache with { Precision = settings.CachePrecision };
                o.FrozenPrecision = settings.FrozenPrecision;
            });
    }

    /// <summary>
    /// Builds the trainer for <paramref name="classNames"/>, which builds the network and loads the weights now; an
    /// option the library rejects (a head or input size that does not fit the network) becomes a usage error.
    /// </summary>
    /// <exception cref="UsageException">The library rejected an option.</exception>
    public static ImageClassifierTrainer Build(ImageClassifierBuilder builder, IReadOnlyList<string> classNames)
    {
        try
        {
            return builder.WithClasses([.. classNames]).Build();
        }
        catch (Exception e) when (e is ArgumentException and not ArgumentNullException || e is InvalidOperationException)
        {
            string message = e is ArgumentException a ? ErrorHandler.WithoutParameterSuffix(a) : e.Message;
            throw new UsageException(message, e);
        }
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.MLNet.Data;
using TransferKit.MLNet.Hosting;
using TransferKit.Training.Caching;

namespace TransferKit.MLNet.Classification;

/// <summary>
/// An ML.NET multiclass trainer that trains a TransferKit image classifier: it reads the encoded images and key labels
/// of the IDataView into memory and trains with the TransferKit builder (<see cref="ImageClassifier"/>), so the same
/// options and seed give the same weights as the builder. Create it with
/// <c>mlContext.MulticlassClassification.Trainers.TransferKitImageClassification(options)</c>. For a binary task use
/// it with two classes: Score then holds both probabilities.
/// </summary>
public sealed class TransferKitImageClassificationTrainer : IEstimator<TransferKitImageClassificationTransformer>
{
    private readonly IHostEnvironment _env;
    private readonly TransferKitImageClassificationOptions _options;

    internal TransferKitImageClassificationTrainer(IHostEnvironment env, TransferKitImageClassificationOptions options)
    {
        _env = env;
        _options = options;
        Validate(options);
    }

    /// <summary>Checks the schema, reads the rows and trains.</summary>
    /// <param name="input">Rows with the feature column (encoded image bytes or MLImage) and the label column (a key type).</param>
    /// <returns>The transformer that adds Score and PredictedLabel.</returns>
    /// <exception cref="ColumnMismatchException">A column is missing or of the wrong type; raised before anything is read.</exception>
    /// <exception cref="BadImagesException">An image cannot be decoded under <see cref="BadImagePolicy.Strict"/>.</exception>
    public TransferKitImageClassificationTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        var image = ImageColumns.Image(input.Schema, nameof(o.FeatureColumnName), o.FeatureColumnName);
        var label = ImageColumns.Label(input.Schema, nameof(o.LabelColumnName), o.LabelColumnName);
        DataViewSchema.Column? validationImage = null, validationLabel = null;
        if (o.ValidationSet is { } v)
        {
            validationImage = ImageColumns.Image(v.Schema, $"{nameof(o.ValidationSet)}.{nameof(o.FeatureColumnName)}", o.FeatureColumnName);
            validationLabel = ImageColumns.Label(v.Schema, $"{nameof(o.ValidationSet)}.{nameof(o.LabelColumnName)}", o.LabelColumnName);
        }
        var classNames = ImageColumns.ClassNames(label);
        var host = _env.Register(nameof(TransferKitImageClassificationTrainer));
        using var channel = host.Start("Training");
        var (train, missing) = ImageRows.ReadLabelled(input, image, label, classNames, "training");
        if (missing > 0) channel.Warning(MessageSensitivity.None, $"{o.LabelColumnName}: {missing} training row(s) have no label (key 0) and are left out.");
        InMemoryImageDataset? validation = null;
        if (o.ValidationSet is { } validationSet)
            (validation, _) = ImageRows.ReadLabelled(validationSet, validationImage!.Value, validationLabel!.Value, classNames, "validation");

        // Not disposed: the trained model shares the trainer's network, and the transformer owns it from here.
        var trainer = CreateBuilder(o, classNames).WithCallback(new MlNetLogCallback(channel, o.MetricsCallback)).Build();
        var result = trainer.FitAsync(train, validation).GetAwaiter().GetResult();
        if (trainer.CacheDecision is { } decision) channel.Info(MessageSensitivity.None, $"Activation cache: {decision}");
        if (trainer.BadImages is { Count: > 0 } bad)
            channel.Warning(MessageSensitivity.None, $"{o.FeatureColumnName}: {bad.Count} image(s) skipped: {bad}");
        channel.Info(MessageSensitivity.None, $"Trained {result.Epochs.Count} epoch(s); best epoch {result.BestEpoch?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}.");
        return new TransferKitImageClassificationTransformer(_env, trainer.Model, o.FeatureColumnName, o.ScoreColumnName,
            o.PredictedLabelColumnName, (KeyDataViewType)label.Type, classNames);
    }

    /// <summary>The output schema: the input's columns plus Score (a vector of the classes) and PredictedLabel (the label's key type).</summary>
    /// <exception cref="ArgumentException">The feature or label column is missing or of the wrong type (the message names it).</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var o = _options;
        var columns = inputSchema.ToDictionary(c => c.Name);
        if (!columns.TryGetValue(o.FeatureColumnName, out var feature))
            throw new ColumnMismatchException(nameof(o.FeatureColumnName), o.FeatureColumnName, ImageColumns.BytesType, null,
                $"Load the images with mlContext.Transforms.LoadRawImageBytes. The input's columns are: {string.Join(", ", inputSchema.Select(c => $"'{c.Name}'"))}.");
        if (!ImageColumns.IsImage(feature))
            throw new ColumnMismatchException(nameof(o.FeatureColumnName), o.FeatureColumnName, ImageColumns.BytesType, feature.ItemType.ToString(), ImageColumns.HintFor(feature.ItemType, o.FeatureColumnName));
        if (!columns.TryGetValue(o.LabelColumnName, out var label) || !label.IsKey)
            throw new ColumnMismatchException(nameof(o.LabelColumnName), o.LabelColumnName, ImageColumns.KeyType, label.Name is null ? null : label.ItemType.ToString(),
                "Map the labels to keys with mlContext.Transforms.Conversion.MapValueToKey.");
        // SchemaShape.Column has no public constructor: describe the two outputs as a schema and take its shape.
        // The class count is unknown until Fit; the shape records only kinds and which annotations exist.
        var names = new DataViewSchema.Annotations.Builder();
        names.Add(AnnotationNames.KeyValues, new VectorDataViewType(TextDataViewType.Instance, 2), (ref VBuffer<ReadOnlyMemory<char>> v) => v = new VBuffer<ReadOnlyMemory<char>>(2, ["a".AsMemory(), "b".AsMemory()]));
        var slots = new DataViewSchema.Annotations.Builder();
        slots.Add(AnnotationNames.SlotNames, new VectorDataViewType(TextDataViewType.Instance, 2), (ref VBuffer<ReadOnlyMemory<char>> v) => v = new VBuffer<ReadOnlyMemory<char>>(2, ["a".AsMemory(), "b".AsMemory()]));
        var outputs = new DataViewSchema.Builder();
        outputs.AddColumn(o.ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, 2), slots.ToAnnotations());
        outputs.AddColumn(o.PredictedLabelColumnName, new KeyDataViewType(typeof(uint), 2), names.ToAnnotations());
        var result = inputSchema.ToDictionary(c => c.Name);
        foreach (var c in MlNetInternals.ShapeOf(outputs.ToSchema())) result[c.Name] = c;
        return new SchemaShape(result.Values);
    }

    /// <summary>The TransferKit builder these options describe for <paramref name="classNames"/> (the trainer adds only its log callback).</summary>
    internal static ImageClassifierBuilder CreateBuilder(TransferKitImageClassificationOptions o, IReadOnlyList<string>? classNames)
    {
        var builder = ImageClassifier.Create();
        if (o.OnnxBackbonePath is { } onnx) builder.UseOnnxBackbone(onnx, o.OnnxBackboneOptions);
        else
        {
            if (o.BaselineCnn is { } baseline) builder.UseBaselineCnn(baseline);
            else builder.UseArchitecture(o.Arch);
            if (o.WeightsPath is { } path) builder.UsePretrainedWeights(path);
            else if (o.Weights is { } weights) builder.UsePretrainedWeights(weights);
            else if (o.FromScratch) builder.FromScratch();
        }
        if (o.Freeze is { } freeze) builder.Freeze(freeze);
        if (o.Head is { } head) builder.WithHead(head);
        if (o.InputSize is int size) builder.WithInputSize(size);
        bool reuse = o.ReuseTrainSetBottleneckCachedValues || o.ReuseValidationSetBottleneckCachedValues;
        if (classNames is not null) builder.WithClasses([.. classNames]);
        return builder
            .WithTraining(t =>
            {
                t.Epochs = o.Epoch;
                t.BatchSize = o.BatchSize;
                t.LearningRate = o.LearningRate;
                t.Optimizer = o.Optimizer;
                t.Momentum = o.Momentum;
                t.Schedule = o.LearningRateScheduler;
                t.EarlyStopping = o.EarlyStoppingCriteria;
                t.ValidationFraction = o.ValidationSet is null ? o.ValidationSetFraction ?? 0 : 0;
                t.Augmentation = o.Augmentation;
                t.Seed = o.Seed;
                t.DegreeOfParallelism = o.DegreeOfParallelism;
                t.BadImages = o.BadImages;
                t.Cache = o.WorkspacePath is { } workspace
                    ? t.Cache with { Directory = workspace, Storage = CacheStorage.MappedFile, Reuse = reuse }
                    : t.Cache with { Reuse = reuse };
                o.ConfigureTraining?.Invoke(t);
            });
    }

    private static void Validate(TransferKitImageClassificationOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.OnnxBackbonePath is not null)
        {
            string? other = o.BaselineCnn is not null ? nameof(o.BaselineCnn) : o.WeightsPath is not null ? nameof(o.WeightsPath)
                : o.Weights is not null ? nameof(o.Weights) : o.FromScratch ? nameof(o.FromScratch) : null;
            if (other is not null)
                throw new ArgumentException($"OnnxBackbonePath trains on the ONNX file's own network and weights; unset {other}.", nameof(o.OnnxBackbonePath));
            if (!File.Exists(o.OnnxBackbonePath)) throw new ArgumentException($"OnnxBackbonePath: '{o.OnnxBackbonePath}' does not exist.", nameof(o.OnnxBackbonePath));
        }
        else if (o.OnnxBackboneOptions is not null)
            throw new ArgumentException("OnnxBackboneOptions applies only with OnnxBackbonePath; set it or unset the options.", nameof(o.OnnxBackboneOptions));
        if (o.Arch is null && o.BaselineCnn is null && o.OnnxBackbonePath is null) throw new ArgumentException("Arch must name a catalog architecture (Architectures.X), or set BaselineCnn.", nameof(o.Arch));
        if (o.BaselineCnn is null && o.OnnxBackbonePath is null && o.WeightsPath is null && o.Weights is null && !o.FromScratch)
            throw new ArgumentException($"{o.Arch!.Name}: set WeightsPath (a safetensors file) or Weights, or FromScratch = true; or train on an ONNX CNN with OnnxBackbonePath.", nameof(o.WeightsPath));
        if (o.ValidationSetFraction is < 0 or >= 1) throw new ArgumentException($"ValidationSetFraction must be in [0, 1), got {o.ValidationSetFraction}.", nameof(o.ValidationSetFraction));
        foreach (var (option, name) in new[] { (nameof(o.ScoreColumnName), o.ScoreColumnName), (nameof(o.PredictedLabelColumnName), o.PredictedLabelColumnName) })
            if (string.IsNullOrEmpty(name)) throw new ArgumentException($"{option} must name a column.", option);
        // The builder's own checks (epochs, batch size, rates) run now; the network is built only when the classes are known.
        try
        {
            using var probe = CreateBuilder(o, null).Build();
        }
        catch (ArgumentException e) when (e.Message.StartsWith("TrainingOptions", StringComparison.Ordinal))
        {
            throw new ArgumentException(e.Message.Replace("TrainingOptions.Epochs", "Epoch").Replace("TrainingOptions.", ""), e.ParamName, e);
        }
    }
}

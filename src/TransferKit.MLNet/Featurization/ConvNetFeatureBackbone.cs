using System.Text.Json;
using TransferKit.Api;
using TransferKit.Autograd;
using TransferKit.Data.Decoding;
using TransferKit.Data.Preprocessing;
using TransferKit.Models;
using TransferKit.Models.Inference;
using TransferKit.Tensors;
using TransferKit.Weights;

namespace TransferKit.MLNet.Featurization;

/// <summary>
/// A catalog network (or the baseline CNN) run up to a chosen unit, its feature map averaged over height and width:
/// the features are the C channels of that unit's output. Saved as a safetensors file of the network's tensors with
/// the blueprint and unit count in its metadata.
/// </summary>
public sealed class ConvNetFeatureBackbone : IImageFeatureBackbone
{
    /// <summary>The kind under which this backbone is saved and loaded.</summary>
    public const string KindName = "transferkit.convnet";

    private const string MetadataKey = "transferkit.featurizer";
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
    private readonly ConvNet _network;
    private readonly NetworkBlueprint _blueprint;
    private readonly int _units;
    private readonly EvaluationTransform _transform;
    private readonly FoldedBatchNorm _folding;

    private ConvNetFeatureBackbone(ConvNet network, NetworkBlueprint blueprint, int units, PreprocessingSpec preprocessing)
    {
        _network = network;
        _blueprint = blueprint;
        _units = units;
        network.Eval();
        _folding = BatchNormFolding.FoldForInference(network);
        Preprocessing = preprocessing;
        _transform = new EvaluationTransform(preprocessing);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var probe = network.ForwardUnits(Tensor.Zeros(1, 3, preprocessing.InputSize, preprocessing.InputSize), 0, units);
        FeatureDimension = probe.Shape[1];
        Description = $"{blueprint.Architecture} up to {(units == 0 ? "the input" : network.Units[units - 1].Name)} ({units} of {network.Units.Count} units), {FeatureDimension} features";
    }

    /// <summary>A catalog architecture with pre-trained weights, run up to and including <paramref name="upToUnit"/> (null: every unit).</summary>
    /// <param name="architecture">The network, from <see cref="Architectures"/>.</param>
    /// <param name="weightsPath">A safetensors file of its weights with torchvision key names.</param>
    /// <param name="upToUnit">The last unit to run, by name (<see cref="ArchitectureInfo.Units"/>), or null for the whole backbone.</param>
    /// <param name="inputSize">The input size in pixels, or null for the architecture's.</param>
    /// <exception cref="ArgumentException"><paramref name="upToUnit"/> is not a unit of the network.</exception>
    public static ConvNetFeatureBackbone FromArchitecture(ArchitectureInfo architecture, string weightsPath, string? upToUnit = null, int? inputSize = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentException.ThrowIfNullOrEmpty(weightsPath);
        var network = architecture.Create(1000, 0);
        try
        {
            WeightsLoader.Load(network, weightsPath, new WeightsLoadOptions { Head = HeadLoading.SkipWhenShapesDiffer });
            var blueprint = new NetworkBlueprint { Architecture = architecture.Name, Classes = 1000, FeatureMapShape = [] };
            return Create(network, blueprint, upToUnit, architecture.Preprocessing, inputSize);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The baseline CNN with the weights in <paramref name="weightsPath"/> (or its seeded initialisation when null).</summary>
    public static ConvNetFeatureBackbone FromBaselineCnn(BaselineCnnOptions options, string? weightsPath, int inputSize, string? upToUnit = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var network = new BaselineCnn(options);
        try
        {
            if (weightsPath is not null) WeightsLoader.Load(network, weightsPath, new WeightsLoadOptions { Head = HeadLoading.SkipWhenShapesDiffer });
            var blueprint = new NetworkBlueprint { Architecture = NetworkBlueprint.BaselineCnnName, BaselineChannels = options.Channels, Classes = options.Classes, FeatureMapShape = [] };
            var spec = new PreprocessingSpec(inputSize, inputSize, ResizeInterpolation.Bilinear, NormalizationSpec.MinusOneToOne);
            return Create(network, blueprint, upToUnit, spec, inputSize);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static ConvNetFeatureBackbone Create(ConvNet network, NetworkBlueprint blueprint, string? upToUnit, PreprocessingSpec spec, int? inputSize)
    {
        int units = upToUnit is null ? network.Units.Count : network.UnitIndex(upToUnit) + 1;
        if (inputSize is int size) spec = spec with { InputSize = size, ResizeSize = (int)Math.Floor(size / spec.CropFraction) };
        return new ConvNetFeatureBackbone(network, blueprint, units, spec);
    }

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public PreprocessingSpec Preprocessing { get; }

    /// <inheritdoc/>
    public int FeatureDimension { get; }

    /// <inheritdoc/>
    public void Featurize(IReadOnlyList<DecodedImage> images, Span<float> features)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (features.Length != images.Count * FeatureDimension)
            throw new ArgumentException($"Expected {images.Count * FeatureDimension} feature values for {images.Count} images, got {features.Length}.", nameof(features));
        if (images.Count == 0) return;
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        int h = _transform.OutputHeight, w = _transform.OutputWidth, n = 3 * h * w;
        var batch = Tensor.Empty(images.Count, 3, h, w);
        for (int i = 0; i < images.Count; i++) _transform.Apply(images[i], batch.Span.Slice(i * n, n), TransformContext.Evaluation);
        var pooled = Ops.AdaptiveAvgPool2d(_network.ForwardUnits(batch, 0, _units));
        pooled.ReadOnlySpan.CopyTo(features);
    }

    /// <inheritdoc/>
    public void Save(string path)
    {
        var description = new SavedBackbone(_blueprint, _units, Preprocessing);
        SafetensorsWriter.Write(path, _network.StateDict(), new Dictionary<string, string> { [MetadataKey] = JsonSerializer.Serialize(description, Json) });
    }

    /// <summary>Loads a backbone written by <see cref="Save"/>.</summary>
    /// <exception cref="ModelFileException">The file is not a saved backbone.</exception>
    public static ConvNetFeatureBackbone Load(string path)
    {
        using var file = SafetensorsFile.Open(path);
        if (!file.Metadata.TryGetValue(MetadataKey, out var json) || JsonSerializer.Deserialize<SavedBackbone>(json, Json) is not { } saved)
            throw new ModelFileException(path, "it is not a saved TransferKit feature backbone.");
        var network = saved.Blueprint.Build();
        var state = new Dictionary<string, Tensor>();
        try
        {
            foreach (var info in file.Tensors) state[info.Name] = file.ReadTensor(info.Name);
            network.LoadStateDict(state, strict: true);
            return new ConvNetFeatureBackbone(network, saved.Blueprint, saved.Units, saved.Preprocessing);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }

    /// <summary>Releases the network.</summary>
    public void Dispose()
    {
        _folding.Dispose();
        _network.Dispose();
    }

    private sealed record SavedBackbone(NetworkBlueprint Blueprint, int Units, PreprocessingSpec Preprocessing);
}

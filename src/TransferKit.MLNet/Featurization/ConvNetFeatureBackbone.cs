using System.Text.Json;
using TransferKit.Api;
using TransferKit.Autograd;
using TransferKit.Data.Decoding;
using TransferKit.Data.Preprocessing;
using TransferKit.Models;
using TransferKit.Models.Inference;
using TransferKit.Models.Onnx;
using TransferKit.Tensors;
using TransferKit.Weights;
using TransferKit.Weights.Onnx;

namespace TransferKit.MLNet.Featurization;

/// <summary>
/// A catalog network, the baseline CNN or an imported ONNX CNN run up to a chosen unit, its feature map averaged over
/// height and width: the features are the C channels of that unit's output. Saved as a safetensors file of the network's
/// tensors with the blueprint and unit count in its metadata; an ONNX backbone's blueprint carries its graph, so a saved
/// featurizer loads without the original <c>.onnx</c> file.
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
        // An imported graph's constants may hold infinities (a Clip bound).
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
    private readonly ConvNet _network;
    private readonly NetworkBlueprint _blueprint;
    private readonly int _units;
    private readonly EvaluationTransform _transform;
    private readonly FoldedBatchNorm _folding;
    private readonly string? _name;

    private ConvNetFeatureBackbone(ConvNet network, NetworkBlueprint blueprint, int units, PreprocessingSpec preprocessing, string? name = null)
    {
        _network = network;
        _blueprint = blueprint;
        _units = units;
        _name = name;
        network.Eval();
        _folding = BatchNormFolding.FoldForInference(network);
        Preprocessing = preprocessing;
        _transform = new EvaluationTransform(preprocessing);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var probe = network.ForwardUnits(Tensor.Zeros(1, 3, preprocessing.InputSize, preprocessing.InputSize), 0, units);
        FeatureDimension = probe.Shape[1];
        Description = $"{name ?? blueprint.Architecture} up to {(units == 0 ? "the input" : network.Units[units - 1].Name)} ({units} of {network.Units.Count} units), {FeatureDimension} features";
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

    /// <summary>
    /// A CNN imported from an ONNX file with the weights it carries, run up to and including <paramref name="upToUnit"/>
    /// (null: up to the feature map in front of the file's classifier). Its units are those of <see cref="OnnxBackbone"/>:
    /// <c>stem</c>, <c>block1</c>, <c>block2</c> ... The graph and weights are copied into the backbone, so saving it
    /// (and an ML.NET model that holds it) does not need the file again.
    /// </summary>
    /// <param name="onnxPath">The <c>.onnx</c> file.</param>
    /// <param name="options">Name, feature output and preprocessing (the evaluation transform the weights expect); null for the defaults (torchvision's ImageNet 224).</param>
    /// <param name="upToUnit">The last unit to run, by name, or null for the whole backbone.</param>
    /// <param name="inputSize">The input size in pixels, or null for <see cref="OnnxBackboneOptions.Preprocessing"/>'s.</param>
    /// <exception cref="OnnxModelException">The file cannot be imported, or no feature map is found in it.</exception>
    /// <exception cref="ArgumentException"><paramref name="upToUnit"/> is not a unit of the network.</exception>
    public static ConvNetFeatureBackbone FromOnnx(string onnxPath, OnnxBackboneOptions? options = null, string? upToUnit = null, int? inputSize = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(onnxPath);
        options ??= new OnnxBackboneOptions();
        var spec = Resized(options.Preprocessing, inputSize);
        // The head is never run; one class keeps it (and the saved file) small.
        var network = OnnxBackbone.Create(OnnxModel.Load(onnxPath), options with { Preprocessing = spec }, classes: 1, seed: 0);
        try
        {
            var blueprint = new NetworkBlueprint
            {
                Architecture = NetworkBlueprint.OnnxName,
                Onnx = OnnxBlueprint.Of(network, spec.InputSize),
                Classes = 1,
                FeatureMapShape = [],
            };
            return Create(network, blueprint, upToUnit, spec, null, options.Name ?? Path.GetFileNameWithoutExtension(onnxPath));
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// ML.NET's ImageNet ResNet-18 (the network of <c>DnnFeaturizeImage</c>) from the NuGet package
    /// <see cref="OnnxBackbones.MlNetResNet18Package"/>, with ML.NET's preprocessing (<see cref="OnnxPreprocessing.MlNetResNet18"/>).
    /// Its units are <c>stem</c> and <c>block1</c> to <c>block9</c>; the whole backbone gives 512 features, as ML.NET's featurizer does.
    /// </summary>
    /// <param name="upToUnit">The last unit to run, or null for all of them (512 features).</param>
    /// <param name="packagesFolder">The NuGet global packages folder; null for <c>NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>.</param>
    /// <exception cref="WeightsPackageNotFoundException">The package was not restored on this machine: reference it from the project.</exception>
    public static ConvNetFeatureBackbone FromMlNetResNet18(string? upToUnit = null, string? packagesFolder = null) =>
        FromOnnx(OnnxBackbones.MlNetResNet18(packagesFolder), OnnxBackbones.MlNetResNet18Options, upToUnit);

    private static ConvNetFeatureBackbone Create(ConvNet network, NetworkBlueprint blueprint, string? upToUnit, PreprocessingSpec spec, int? inputSize, string? name = null)
    {
        int units = upToUnit is null ? network.Units.Count : network.UnitIndex(upToUnit) + 1;
        return new ConvNetFeatureBackbone(network, blueprint, units, Resized(spec, inputSize), name);
    }

    private static PreprocessingSpec Resized(PreprocessingSpec spec, int? inputSize) =>
        inputSize is int size ? spec with { InputSize = size, ResizeSize = (int)Math.Floor(size / spec.CropFraction) } : spec;

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public PreprocessingSpec Preprocessing { get; }

    /// <inheritdoc/>
    public int FeatureDimension { get; }

    /// <summary>
    /// The arithmetic of <see cref="Featurize"/>: Float32 (the default) or BFloat16, about twice as fast in the
    /// convolutions' matrix products where the CPU has AVX512-BF16 (Float32 elsewhere; see
    /// <see cref="InferencePrecisionSupport"/>). Saved with the backbone.
    /// </summary>
    public InferencePrecision Precision { get; set; }

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
        Tensor output;
        using (InferencePrecisionSupport.Enter(Precision)) output = _network.ForwardUnits(batch, 0, _units);
        // An ONNX feature output may already be pooled ([N, C]).
        var pooled = output.Rank == 4 ? Ops.AdaptiveAvgPool2d(output) : output;
        pooled.ReadOnlySpan.CopyTo(features);
    }

    /// <inheritdoc/>
    public void Save(string path)
    {
        var description = new SavedBackbone(_blueprint, _units, Preprocessing, _name, Precision);
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
            return new ConvNetFeatureBackbone(network, saved.Blueprint, saved.Units, saved.Preprocessing, saved.Name) { Precision = saved.Precision };
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

    /// <summary>The metadata of a saved backbone; <paramref name="Name"/> (the ONNX backbone's name) and <paramref name="Precision"/> are absent from older files.</summary>
    private sealed record SavedBackbone(NetworkBlueprint Blueprint, int Units, PreprocessingSpec Preprocessing, string? Name = null,
        InferencePrecision Precision = InferencePrecision.Float32);
}

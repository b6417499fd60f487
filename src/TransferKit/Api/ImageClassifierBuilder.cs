using TransferKit.Models;
using TransferKit.Models.Onnx;
using TransferKit.Training.Callbacks;
using TransferKit.Training.Freezing;
using TransferKit.Weights;

namespace TransferKit.Api;

/// <summary>
/// Describes a classifier to train. Nothing is checked until <see cref="Build"/>, which validates every choice and
/// reports the first problem by the name of its option.
/// </summary>
public sealed class ImageClassifierBuilder
{
    private ArchitectureInfo? _architecture;
    private BaselineCnnOptions? _baseline;
    private WeightsDescriptor? _weights;
    private string? _weightsPath;
    private KeyMap? _keyMap;
    private PretrainedBackbone? _named;
    private string? _packagesFolder;
    private bool _fromScratch;
    private FreezeDepth? _freeze;
    private bool _trainFrozenBatchNorm;
    private HeadSpec _head = HeadSpec.Pooled();
    private int? _inputSize;
    private PreprocessingSpec? _preprocessing;
    private IReadOnlyList<string>? _classNames;
    private string? _continueFrom;
    private readonly TrainingOptions _training = new();
    private readonly List<ITrainingCallback> _callbacks = new();
    private bool? _logToConsole;

    internal ImageClassifierBuilder() { }

    /// <summary>Uses a pre-trainable architecture from the catalog (<see cref="Architectures"/>).</summary>
    public ImageClassifierBuilder UseArchitecture(ArchitectureInfo architecture)
    {
        _architecture = architecture ?? throw new ArgumentNullException(nameof(architecture));
        _baseline = null;
        return this;
    }

    /// <summary>Uses the small from-scratch baseline CNN (the seed articles' comparison point).</summary>
    public ImageClassifierBuilder UseBaselineCnn(BaselineCnnOptions? options = null)
    {
        _baseline = options ?? new BaselineCnnOptions();
        _architecture = null;
        _fromScratch = true;
        return this;
    }

    /// <summary>Loads pre-trained weights from a typed descriptor (a file, or a URL with SHA-256 through the cache).</summary>
    public ImageClassifierBuilder UsePretrainedWeights(WeightsDescriptor weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ForgetWeightsSource();
        _weights = weights;
        return this;
    }

    /// <summary>
    /// Starts from pre-trained weights in a file; its format is told by content at <see cref="Build"/>, not by extension:
    /// <list type="bullet">
    /// <item>a safetensors file or a PyTorch zip checkpoint (<c>.pth</c>/<c>.pt</c>, read without running pickle, see
    /// <see cref="PyTorchCheckpoint"/>) with torchvision key names (or <paramref name="keyMap"/>'s), loaded into the
    /// architecture chosen with <see cref="UseArchitecture"/>;</item>
    /// <item>an ONNX model (<c>.onnx</c>), which is the backbone itself, with its weights: the same as
    /// <see cref="OnnxBackboneBuilderExtensions.UseOnnxBackbone"/> (no <see cref="UseArchitecture"/> needed; the backbone is
    /// frozen by default). A named entry's package file (see <see cref="PretrainedBackbones.ForFile"/>) gets that entry's
    /// preprocessing, any other ONNX file torchvision's ImageNet 224.</item>
    /// </list>
    /// </summary>
    /// <param name="weightsPath">The weights file.</param>
    /// <param name="keyMap">Renames the file's keys to torchvision's; null for none. Not for an ONNX model.</param>
    /// <remarks>
    /// At <see cref="Build"/>: <see cref="BackboneConflictException"/> when the file is an ONNX model and another network was
    /// chosen; <see cref="WeightsFormatException"/> when its content is no format TransferKit reads.
    /// </remarks>
    public ImageClassifierBuilder UsePretrainedWeights(string weightsPath, KeyMap? keyMap = null)
    {
        ArgumentNullException.ThrowIfNull(weightsPath);
        ForgetWeightsSource();
        _weightsPath = weightsPath;
        _keyMap = keyMap;
        return this;
    }

    /// <summary>
    /// Starts from a named pre-trained backbone, such as <see cref="PretrainedBackbones.MlNetResNet18"/>, from the NuGet
    /// package the calling project references (resolved at <see cref="Build"/> in the NuGet global packages folder): the
    /// ONNX model is the backbone, with its weights and its preprocessing, frozen by default. No
    /// <see cref="UseArchitecture"/> is needed.
    /// </summary>
    /// <param name="backbone">The entry.</param>
    /// <param name="packagesFolder">The NuGet global packages folder; null for <c>NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>.</param>
    /// <remarks>
    /// At <see cref="Build"/>: <see cref="WeightsPackageNotFoundException"/> when the package was not restored on this
    /// machine (the message gives the <c>dotnet add package</c> line); <see cref="BackboneConflictException"/> when another
    /// network was chosen.
    /// </remarks>
    public ImageClassifierBuilder UsePretrainedWeights(PretrainedBackbone backbone, string? packagesFolder = null)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ForgetWeightsSource();
        _named = backbone;
        _packagesFolder = packagesFolder;
        _keyMap = null;
        return this;
    }

    /// <summary>
    /// Continues training a saved model: its architecture, head, classes and preprocessing are taken from the file, and
    /// training starts from all of its weights, head included. Choose the freeze depth as usual (default: backbone frozen).
    /// </summary>
    /// <exception cref="ModelFileException">The file is not a valid model.</exception>
    public ImageClassifierBuilder ContinueFrom(string modelPath)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        var meta = ModelFile.ReadMetadata(modelPath);
        var blueprint = meta.Network;
        if (blueprint.Architecture == NetworkBlueprint.BaselineCnnName)
        {
            _baseline = new BaselineCnnOptions { Channels = blueprint.BaselineChannels ?? [32, 64, 128, 256] };
            _architecture = null;
        }
        else
        {
            _architecture = Architectures.Get(blueprint.Architecture);
            _baseline = null;
        }
        _head = blueprint.Head ?? HeadSpec.Pooled();
        _classNames = meta.ClassNames;
        _preprocessing = meta.Preprocessing;
        _inputSize = meta.Preprocessing.InputSize;
        ForgetWeightsSource();
        _continueFrom = modelPath;
        return this;
    }

    /// <summary>Trains from freshly initialised weights (nothing is frozen unless asked).</summary>
    public ImageClassifierBuilder FromScratch()
    {
        ForgetWeightsSource();
        _fromScratch = true;
        return this;
    }

    /// <summary>Clears the weights chosen so far (a descriptor, a file, a named backbone, or from scratch) before another choice.</summary>
    private void ForgetWeightsSource()
    {
        _weights = null;
        _weightsPath = null;
        _named = null;
        _fromScratch = false;
    }

    /// <summary>Freezes the first <paramref name="firstN"/> units.</summary>
    public ImageClassifierBuilder FreezeUnits(int firstN) => Freeze(FreezeDepth.FirstUnits(firstN));

    /// <summary>Trains only the last <paramref name="count"/> units (and the head).</summary>
    public ImageClassifierBuilder TrainLastUnits(int count) => Freeze(FreezeDepth.TrainLastUnits(count));

    /// <summary>Freezes the first <paramref name="fraction"/> of the units.</summary>
    public ImageClassifierBuilder FreezeFraction(double fraction) => Freeze(FreezeDepth.Fraction(fraction));

    /// <summary>Freezes every unit up to and including <paramref name="unitName"/>.</summary>
    public ImageClassifierBuilder FreezeUpTo(string unitName) => Freeze(FreezeDepth.UpTo(unitName));

    /// <summary>Sets the freeze depth. Default: the whole backbone with pre-trained weights, nothing from scratch.</summary>
    public ImageClassifierBuilder Freeze(FreezeDepth depth)
    {
        _freeze = depth ?? throw new ArgumentNullException(nameof(depth));
        return this;
    }

    /// <summary>Keeps BatchNorm in the frozen units training (fastai's <c>train_bn</c>); this turns the activation cache off.</summary>
    public ImageClassifierBuilder TrainFrozenBatchNorm(bool train = true)
    {
        _trainFrozenBatchNorm = train;
        return this;
    }

    /// <summary>Configures the head, starting from global average pooling to the classes.</summary>
    public ImageClassifierBuilder WithHead(Func<HeadSpec, HeadSpec> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _head = configure(HeadSpec.Pooled()) ?? throw new ArgumentException("The head configuration returned null.", nameof(configure));
        return this;
    }

    /// <summary>Sets the head.</summary>
    public ImageClassifierBuilder WithHead(HeadSpec head)
    {
        _head = head ?? throw new ArgumentNullException(nameof(head));
        return this;
    }

    /// <summary>Overrides the network input size (e.g. CIFAR-10's 32x32 images upsampled to 224).</summary>
    public ImageClassifierBuilder WithInputSize(int size)
    {
        _inputSize = size;
        return this;
    }

    /// <summary>Overrides the preprocessing that belongs to the weights.</summary>
    public ImageClassifierBuilder WithPreprocessing(PreprocessingSpec preprocessing)
    {
        _preprocessing = preprocessing ?? throw new ArgumentNullException(nameof(preprocessing));
        return this;
    }

    /// <summary>Names the classes in label order, so the network (and its trainable parameter count) exists at Build.</summary>
    public ImageClassifierBuilder WithClasses(params string[] classNames)
    {
        _classNames = classNames ?? throw new ArgumentNullException(nameof(classNames));
        return this;
    }

    /// <summary>Sets training options.</summary>
    public ImageClassifierBuilder WithTraining(Action<TrainingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_training);
        return this;
    }

    /// <summary>Adds a callback that sees every epoch and batch.</summary>
    public ImageClassifierBuilder WithCallback(ITrainingCallback callback)
    {
        _callbacks.Add(callback ?? throw new ArgumentNullException(nameof(callback)));
        return this;
    }

    /// <summary>
    /// Writes the training log to standard output (<see cref="Console.Out"/>) as <see cref="TextLogCallback"/> does: a line
    /// when training starts, when the feature cache starts filling, one per epoch as it ends (<c>epoch 3/10: train loss
    /// ..., validation loss ..., accuracy ...</c>, as Keras' <c>fit</c> prints), and one at the end. Plain text, no colour
    /// codes. Without this call the log is on when standard output is a terminal (a person runs the program and would
    /// otherwise wait minutes with no sign of progress, as with Keras' default <c>verbose</c>) and off when it is
    /// redirected (services, tests, pipes and log files stay as the application writes them).
    /// </summary>
    /// <param name="enabled">True to log even when standard output is redirected; false to stay silent in a terminal too.</param>
    public ImageClassifierBuilder LogToConsole(bool enabled = true)
    {
        _logToConsole = enabled;
        return this;
    }

    /// <summary>Validates every choice and returns the trainer; with <see cref="WithClasses"/>, the network is built and its weights loaded now.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    /// <exception cref="InvalidOperationException">No architecture was chosen, or weights are missing for a pre-trained run.</exception>
    /// <exception cref="FileNotFoundException">No architecture was chosen and the weights file, which would bring one, does not exist.</exception>
    /// <exception cref="BackboneConflictException">The weights are an ONNX model (or a named entry) and another network was chosen.</exception>
    /// <exception cref="WeightsFormatException">The weights file's content is none of the formats accepted.</exception>
    /// <exception cref="WeightsPackageNotFoundException">A named entry's NuGet package was not restored on this machine.</exception>
    /// <exception cref="Weights.Onnx.OnnxModelException">An ONNX model cannot be imported.</exception>
    public ImageClassifierTrainer Build()
    {
        var onnx = ResolveOnnxBackbone();
        var architecture = onnx?.Architecture ?? _architecture;
        string? weightsPath = onnx is null ? _weightsPath : null;
        // Without a network the weights must bring one, so a missing file is the error to report.
        if (architecture is null && _baseline is null && _weightsPath is not null && !File.Exists(_weightsPath))
            throw new FileNotFoundException($"{_weightsPath}: the weights file does not exist.", _weightsPath);
        if (architecture is null && _baseline is null)
            throw new InvalidOperationException("Choose a network: UseArchitecture(Architectures.X), UseBaselineCnn(), or UsePretrainedWeights with an ONNX model or PretrainedBackbones entry.");
        if (onnx is null && _architecture is not null && !_fromScratch && _weights is null && _weightsPath is null && _continueFrom is null)
            throw new InvalidOperationException($"{_architecture.Name}: call UsePretrainedWeights(...) or FromScratch().");
        if (onnx is { } backbone && _keyMap is not null)
            throw new ArgumentException($"{backbone.Weights}: a key map renames the tensors of weights for a catalog network; an ONNX model needs none.", "keyMap");
        if (_inputSize is < 8) throw new ArgumentException($"WithInputSize: the input size must be at least 8 pixels, got {_inputSize}.", "inputSize");
        _baseline?.Validate();
        _training.Validate();
        if (_classNames is not null)
        {
            if (_classNames.Count < 2) throw new ArgumentException($"WithClasses: a classifier needs at least 2 classes, got {_classNames.Count}.", "classNames");
            _head.Validate(_classNames.Count);
            if (_training.ClassWeights is { } w && w.Count != _classNames.Count)
                throw new ArgumentException($"TrainingOptions.ClassWeights has {w.Count} weights for {_classNames.Count} classes.", nameof(TrainingOptions.ClassWeights));
        }
        if (_head.Output == HeadOutput.Sigmoid && (_training.LabelSmoothing > 0 || _training.ClassWeights is not null))
            throw new ArgumentException("TrainingOptions.LabelSmoothing and ClassWeights apply to softmax heads; the head is a sigmoid.", nameof(TrainingOptions.LabelSmoothing));

        var spec = _preprocessing ?? _weights?.Preprocessing ?? architecture?.Preprocessing
            ?? new PreprocessingSpec(_inputSize ?? 64, _inputSize ?? 64, ResizeInterpolation.Bilinear, NormalizationSpec.MinusOneToOne);
        spec.Validate();
        var settings = new TrainerSettings(
            architecture, _baseline, _weights, weightsPath, _keyMap,
            _freeze ?? (_fromScratch ? FreezeDepth.None : FreezeDepth.Backbone),
            _trainFrozenBatchNorm, _head, _inputSize ?? spec.InputSize, spec, _training, Callbacks())
        {
            ContinueFromModelPath = _continueFrom,
            BackboneWeights = onnx?.Weights,
        };
        var trainer = new ImageClassifierTrainer(settings);
        if (_classNames is not null) trainer.Prepare(_classNames);
        return trainer;
    }

    /// <summary>
    /// The backbone that weights bring with them: a named entry resolved in the packages folder, or a weights file whose
    /// content is an ONNX model; null for every other case. Refuses weights whose content is no known format, and an
    /// ONNX backbone beside another chosen network.
    /// </summary>
    private (ArchitectureInfo Architecture, string Weights)? ResolveOnnxBackbone()
    {
        string? path;
        OnnxBackboneOptions options;
        string described;
        if (_named is not null)
        {
            RequireNoOtherNetwork(_named.Name);
            path = _named.ResolvePath(_packagesFolder);
            options = _named.Options;
            described = $"{_named.Name} ({path})";
        }
        else
        {
            // A missing file fails later, where it always has, with the loader's FileNotFoundException.
            if (_weightsPath is null || !File.Exists(_weightsPath)) return null;
            path = _weightsPath;
            var format = WeightsFiles.Detect(path);
            if (format == WeightsFileFormat.Unknown && !WeightsFiles.StartsLikeSafetensors(path))
                throw new WeightsFormatException(path, format, "its content is none of the formats TransferKit reads");
            if (format != WeightsFileFormat.Onnx) return null;
            RequireNoOtherNetwork(path);
            options = PretrainedBackbones.ForFile(path)?.Options ?? new OnnxBackboneOptions();
            described = path;
        }
        return (OnnxBackbone.Load(path, options), described);
    }

    private void RequireNoOtherNetwork(string weights)
    {
        if (_architecture is not null) throw new BackboneConflictException(weights, _architecture.Name);
        if (_baseline is not null) throw new BackboneConflictException(weights, NetworkBlueprint.BaselineCnnName);
    }

    /// <summary>The user's callbacks, after the console log when it is on (see <see cref="LogToConsole"/>).</summary>
    private ITrainingCallback[] Callbacks() =>
        _logToConsole ?? !Console.IsOutputRedirected ? [new TextLogCallback(Console.Out), .. _callbacks] : [.. _callbacks];
}

/// <summary>The validated choices a trainer works from.</summary>
internal sealed record TrainerSettings(
    ArchitectureInfo? Architecture,
    BaselineCnnOptions? Baseline,
    WeightsDescriptor? Weights,
    string? WeightsPath,
    KeyMap? KeyMap,
    FreezeDepth Freeze,
    bool TrainFrozenBatchNorm,
    HeadSpec Head,
    int InputSize,
    PreprocessingSpec Preprocessing,
    TrainingOptions Training,
    IReadOnlyList<ITrainingCallback> Callbacks)
{
    /// <summary>A saved model whose every tensor (head included) training starts from, or null.</summary>
    public string? ContinueFromModelPath { get; init; }

    /// <summary>The ONNX model (file or named entry) that is the backbone with its own weights, for the run's notes; null otherwise.</summary>
    public string? BackboneWeights { get; init; }
}

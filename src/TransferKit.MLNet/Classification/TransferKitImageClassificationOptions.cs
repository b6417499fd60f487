using Microsoft.ML;
using TransferKit.Api;
using TransferKit.Data.Augmentation;
using TransferKit.Data.Datasets;
using TransferKit.Models;
using TransferKit.Models.Onnx;
using TransferKit.Training.Callbacks;
using TransferKit.Training.EarlyStopping;
using TransferKit.Training.Freezing;
using TransferKit.Training.Schedules;
using TransferKit.Weights;

namespace TransferKit.MLNet.Classification;

/// <summary>
/// Options of <see cref="TransferKitImageClassificationTrainer"/>. Where ML.NET's <c>ImageClassificationTrainer.Options</c>
/// has a field of the same meaning, this class has a property of the same name and default (the ML.NET tutorial's
/// object initializer compiles against it); TransferKit's own choices (weights, freeze depth, head, augmentation, seed,
/// threads) follow. Validated once, when the trainer is created; each error names its option.
/// </summary>
public sealed class TransferKitImageClassificationOptions
{
    /// <summary>The image column: encoded image bytes (<c>Vector&lt;Byte&gt;</c>, from <c>LoadRawImageBytes</c>) or MLImage (from <c>LoadImages</c>). Default "Features".</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>The label column, of a key type (from <c>MapValueToKey</c>); its key values become the class names. Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The output column of class probabilities in key order. Default "Score".</summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>The output column of the predicted class, of the label's key type. Default "PredictedLabel".</summary>
    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";

    /// <summary>The network from the catalog (<see cref="Architectures"/>). Default ResNet-50 (ML.NET's default is ResNet v2 50).</summary>
    public ArchitectureInfo Arch { get; set; } = Architectures.ResNet50;

    /// <summary>
    /// The small from-scratch baseline CNN instead of <see cref="Arch"/> (tests, and the seed articles' comparison), or
    /// null. Default null.
    /// </summary>
    public BaselineCnnOptions? BaselineCnn { get; set; }

    /// <summary>
    /// An ONNX CNN to train on instead of <see cref="Arch"/>, with the weights the file carries (the builder's
    /// <c>UseOnnxBackbone</c>): its feature map gets a new head, and the backbone is frozen unless <see cref="Freeze"/>
    /// says otherwise (its units are <c>stem</c>, <c>block1</c>, ...). The saved model embeds the graph, so loading it
    /// does not need the file. Excludes <see cref="BaselineCnn"/>, <see cref="WeightsPath"/>, <see cref="Weights"/> and
    /// <see cref="FromScratch"/>. ML.NET's ResNet-18 is at <see cref="OnnxBackbones.MlNetResNet18"/>. Default null.
    /// </summary>
    public string? OnnxBackbonePath { get; set; }

    /// <summary>
    /// How <see cref="OnnxBackbonePath"/> is imported: name, feature output and the preprocessing its weights expect
    /// (<see cref="OnnxBackbones.MlNetResNet18Options"/> for ML.NET's ResNet-18); null for the defaults (torchvision's
    /// ImageNet 224). Default null.
    /// </summary>
    public OnnxBackboneOptions? OnnxBackboneOptions { get; set; }

    /// <summary>Pre-trained weights of <see cref="Arch"/> as a safetensors file with torchvision key names, or null. Default null.</summary>
    public string? WeightsPath { get; set; }

    /// <summary>Pre-trained weights as a typed descriptor (a file, or a URL with SHA-256 through the cache), or null. Default null.</summary>
    public WeightsDescriptor? Weights { get; set; }

    /// <summary>Whether to train from freshly initialised weights; needed when no weights are given. Default false.</summary>
    public bool FromScratch { get; set; }

    /// <summary>How many leading units stay frozen; null for the builder's default (the whole backbone with weights, nothing from scratch). Default null.</summary>
    public FreezeDepth? Freeze { get; set; }

    /// <summary>The head; null for global average pooling then the classes. Default null.</summary>
    public HeadSpec? Head { get; set; }

    /// <summary>The network input size in pixels; null for the weights' own. Default null.</summary>
    public int? InputSize { get; set; }

    /// <summary>Training-time augmentation; any enabled augmentation turns the activation cache off. Default none.</summary>
    public AugmentationOptions Augmentation { get; set; } = AugmentationOptions.None;

    /// <summary>Passes over the training set. Default 200 (ML.NET's), usually cut short by <see cref="EarlyStoppingCriteria"/>.</summary>
    public int Epoch { get; set; } = 200;

    /// <summary>Images per step. Default 10 (ML.NET's).</summary>
    public int BatchSize { get; set; } = 10;

    /// <summary>Base learning rate. Default 0.01 (ML.NET's).</summary>
    public float LearningRate { get; set; } = 0.01f;

    /// <summary>Optimizer. Default SGD without momentum, ML.NET's gradient descent.</summary>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Sgd;

    /// <summary>SGD momentum. Default 0 (ML.NET's plain gradient descent).</summary>
    public double Momentum { get; set; }

    /// <summary>
    /// The learning-rate schedule. Default ML.NET's: <see cref="ExponentialDecaySchedule"/> by 0.94 every 2 epochs,
    /// staircase. ML.NET's polynomial decay is <see cref="PolynomialDecaySchedule"/>; any TransferKit schedule works.
    /// </summary>
    public ILearningRateSchedule LearningRateScheduler { get; set; } = new ExponentialDecaySchedule();

    /// <summary>
    /// Early stopping, or null for none. Default ML.NET's criteria: validation accuracy, minimum improvement 0.01,
    /// patience 20 (and the best epoch's weights are restored at the end).
    /// </summary>
    public EarlyStoppingOptions? EarlyStoppingCriteria { get; set; } =
        new() { Metric = MonitoredMetric.ValidationAccuracy, MinDelta = 0.01, Patience = 20 };

    /// <summary>Called after every epoch with its metrics (loss, accuracy, validation, learning rate, time), or null. Default null.</summary>
    public Action<EpochResult>? MetricsCallback { get; set; }

    /// <summary>Labelled validation rows with the same columns as the training data, or null. Default null.</summary>
    public IDataView? ValidationSet { get; set; }

    /// <summary>
    /// Without <see cref="ValidationSet"/>, this fraction of the training rows is held out for validation (stratified,
    /// seeded); null or 0 for none. Default 0.1 (ML.NET's).
    /// </summary>
    public float? ValidationSetFraction { get; set; } = 0.1f;

    /// <summary>
    /// A folder for the activation cache (ML.NET's bottleneck values) as files that later fits reuse, or null to keep it
    /// in memory when it fits. Default null.
    /// </summary>
    public string? WorkspacePath { get; set; }

    /// <summary>
    /// Whether a cache file of the training set found under <see cref="WorkspacePath"/> is reused. TransferKit
    /// fingerprints the images, network and preprocessing, so a stale file is never used. Default false (ML.NET's).
    /// </summary>
    public bool ReuseTrainSetBottleneckCachedValues { get; set; }

    /// <summary>Whether a cache file of the validation set is reused (TransferKit reuses both or neither: either flag turns reuse on). Default false.</summary>
    public bool ReuseValidationSetBottleneckCachedValues { get; set; }

    /// <summary>What to do with images that cannot be decoded: skip and report (default), or fail fast (<see cref="BadImagePolicy.Strict"/>).</summary>
    public BadImagePolicy BadImages { get; set; } = BadImagePolicy.SkipAndReport;

    /// <summary>Seed of initialisation, shuffling, augmentation and dropout. Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>Threads for kernels and BLAS during training; null keeps the process setting. Default null.</summary>
    public int? DegreeOfParallelism { get; set; }

    /// <summary>Further TransferKit training options applied last (weight decay, label smoothing, class weights, ...), or null.</summary>
    public Action<TrainingOptions>? ConfigureTraining { get; set; }
}

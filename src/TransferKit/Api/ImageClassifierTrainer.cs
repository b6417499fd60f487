using TransferKit.Autograd;
using TransferKit.Data.Datasets;
using TransferKit.Evaluation;
using TransferKit.Models;
using TransferKit.Tensors;
using TransferKit.Training.Callbacks;
using TransferKit.Training.Freezing;
using TransferKit.Weights;

namespace TransferKit.Api;

/// <summary>
/// Trains one classifier as its builder described. The network exists once the classes are known (at Build with
/// <see cref="ImageClassifierBuilder.WithClasses"/>, else at the first fit), so the trainable parameter count can be
/// read before training. After <see cref="FitAsync"/>, <see cref="Model"/> is the trained model.
/// </summary>
public sealed partial class ImageClassifierTrainer : IDisposable
{
    private readonly TrainerSettings _settings;
    private ConvNet? _network;

    internal ImageClassifierTrainer(TrainerSettings settings) => _settings = settings;

    /// <summary>The network, once prepared.</summary>
    /// <exception cref="InvalidOperationException">The classes are not known yet.</exception>
    public ConvNet Network => _network ?? throw NotPrepared();

    /// <summary>Class names in label order, once known.</summary>
    public IReadOnlyList<string> ClassNames { get; private set; } = [];

    /// <summary>The resolved freeze (how many leading units are frozen).</summary>
    public FreezePlan FreezePlan { get; private set; } = new(0);

    /// <summary>Parameters that will train (head included; BN running statistics are not parameters).</summary>
    public long TrainableParameterCount => Network.ParameterCount(trainableOnly: true);

    /// <summary>Parameters that stay frozen.</summary>
    public long FrozenParameterCount => Network.ParameterCount() - TrainableParameterCount;

    /// <summary>BatchNorm running statistics (buffers): never trained by gradients (Keras' "non-trainable" count includes them).</summary>
    public long BatchNormStatisticCount => Network.NamedBuffers().Sum(kv => (long)kv.Value.Length);

    /// <summary>The preprocessing that training and prediction apply, with the input size in force.</summary>
    public PreprocessingSpec Preprocessing => _settings.Preprocessing with { InputSize = _settings.InputSize, ResizeSize = ResizeSize };

    /// <summary>What was decided about the activation cache in the last fit (in memory, file, reused, or why not).</summary>
    public string? CacheDecision { get; private set; }

    /// <summary>Images skipped in the last fit, with the reason for each.</summary>
    public BadImageReport? BadImages { get; private set; }

    /// <summary>The validation report of the last epoch of the last fit, when a validation set was used.</summary>
    public ClassificationReport? ValidationReport { get; private set; }

    /// <summary>The trained model after <see cref="FitAsync"/>.</summary>
    /// <exception cref="InvalidOperationException">No fit has completed.</exception>
    public TrainedModel Model => _model ?? throw new InvalidOperationException("No fit has completed: call FitAsync first.");

    private TrainedModel? _model;

    private int ResizeSize => _settings.InputSize == _settings.Preprocessing.InputSize
        ? _settings.Preprocessing.ResizeSize
        : (int)Math.Floor(_settings.InputSize / _settings.Preprocessing.CropFraction);

    /// <summary>Builds the network for <paramref name="classNames"/>, loads the pre-trained weights, installs the head and applies the freeze.</summary>
    internal void Prepare(IReadOnlyList<string> classNames)
    {
        var s = _settings;
        _settings.Head.Validate(classNames.Count);
        int seed = s.Training.Seed;
        var network = s.Baseline is not null
            ? new BaselineCnn(new BaselineCnnOptions { Channels = s.Baseline.Channels, InChannels = 3, Classes = classNames.Count, Seed = seed })
            : s.Architecture!.Create(classNames.Count, seed);
        try
        {
            var load = new WeightsLoadOptions { KeyMap = s.KeyMap ?? s.Weights?.KeyMap, Head = HeadLoading.Skip };
            if (s.WeightsPath is not null) WeightsLoader.Load(network, s.WeightsPath, load);
            else if (s.Weights is not null)
            {
                using var cache = new WeightsCache();
                WeightsLoader.LoadAsync(network, s.Weights, cache, load).GetAwaiter().GetResult();
            }
            var map = FeatureMapShape(network, s.InputSize);
            network.ReplaceHead(new ClassifierHead(s.Head, map[0], map[1], map[2], classNames.Count, new Random(seed + 1), (ulong)seed * 7919 + 1));
            if (s.ContinueFromModelPath is not null)
            {
                var (saved, _) = ModelFile.Load(s.ContinueFromModelPath);
                using (saved) network.LoadStateDict(saved.StateDict(), strict: true);
            }
            FeatureMap = map;
            FreezePlan = FreezePlan.For(network, s.Freeze, s.TrainFrozenBatchNorm);
            FreezePlan.Apply(network);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        _network?.Dispose();
        _network = network;
        StartsFromLearnedWeights = HoldsLearnedWeights(s, network);
        ClassNames = classNames.ToArray();
    }

    /// <summary>[C, h, w] of the final feature map at the input size.</summary>
    internal int[] FeatureMap { get; private set; } = [];

    private static int[] FeatureMapShape(ConvNet network, int inputSize)
    {
        network.Eval();
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var probe = network.ForwardUnits(Tensor.Zeros(1, 3, inputSize, inputSize), 0, network.Units.Count);
        if (probe.Rank != 4)
            throw new ArgumentException($"The network's feature map at input size {inputSize} has shape {probe.Shape}, not [1, C, h, w].");
        return [probe.Shape[1], probe.Shape[2], probe.Shape[3]];
    }

    private static InvalidOperationException NotPrepared() =>
        new("The classes are not known yet: call WithClasses(...) before Build(), or FitAsync first.");

    /// <summary>
    /// The network as a table: one row per freezable unit and one for the head, with the output shape for one image at
    /// <see cref="Preprocessing"/>'s input size, parameters and whether they train under <see cref="FreezePlan"/>
    /// (print it: <c>Console.WriteLine(trainer.Summary())</c>). Runs one image through the network; not during a fit.
    /// </summary>
    /// <exception cref="InvalidOperationException">The network is not built yet (call <c>WithClasses</c> on the builder, or fit first).</exception>
    public NetworkSummary Summary() => NetworkSummary.Of(Network, Preprocessing.InputSize);

    /// <summary>Releases the network (a trained <see cref="Model"/> shares it).</summary>
    public void Dispose() => _network?.Dispose();
}

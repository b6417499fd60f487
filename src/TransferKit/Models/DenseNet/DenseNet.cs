using System.Globalization;
using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// torchvision 0.14's DenseNet-BC with its exact keys: <c>features.conv0</c> (7x7, stride 2), <c>features.norm0</c>,
/// <c>features.relu0</c>, <c>features.pool0</c> (3x3 max, stride 2), <c>features.denseblockB.denselayerL.{norm1, conv1, norm2, conv2}</c>,
/// <c>features.transitionB.{norm, conv}</c>, <c>features.norm5</c>, and <c>classifier</c> (Linear).
/// Units: <c>stem</c> (conv0, norm0, relu0, pool0), <c>denseblock1</c>, <c>transition1</c>, ..., <c>denseblock4</c>, <c>norm5</c>.
/// The final feature map is norm5's output (before the ReLU that the head applies).
/// Input [N, 3, H, W]; features [N, <see cref="FeatureChannels"/>, H/32, W/32] for four blocks; logits [N, classes].
/// </summary>
public sealed class DenseNet : ConvNet
{
    private readonly NetworkUnit[] _units;

    /// <summary>Builds the network with torchvision's initialisation: Kaiming normal (fan-in, ReLU gain) convolutions,
    /// BN weight 1 and bias 0, PyTorch's default Linear weight and a zero Linear bias.</summary>
    /// <param name="config">The table, e.g. <see cref="DenseNetConfig.DenseNet121"/>.</param>
    /// <param name="classes">Outputs of <c>classifier</c>.</param>
    /// <param name="seed">Seed of the initial weights.</param>
    /// <exception cref="ArgumentException">The config is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is less than 1.</exception>
    public DenseNet(DenseNetConfig config, int classes = 1000, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        Config = config;
        var random = new Random(seed);

        var features = AddModule("features", new Sequential());
        var conv0 = new Conv2d(3, config.InitFeatures, 7, random, Conv2dOptions.Square(stride: 2, padding: 3), bias: false);
        var norm0 = new BatchNorm2d(config.InitFeatures);
        var relu0 = new Activation(ActivationKind.ReLU);
        var pool0 = new MaxPool2d(3, 2, 1);
        features.Append("conv0", conv0).Append("norm0", norm0).Append("relu0", relu0).Append("pool0", pool0);
        var units = new List<NetworkUnit> { new("stem", [conv0, norm0, relu0, pool0]) };

        var channels = config.BlockInputChannels();
        for (int b = 0; b < config.BlockConfig.Count; b++)
        {
            string index = (b + 1).ToString(CultureInfo.InvariantCulture);
            var block = new DenseBlock(config.BlockConfig[b], channels[b], config.GrowthRate, config.BottleneckSize, random);
            features.Append("denseblock" + index, block);
            units.Add(new NetworkUnit("denseblock" + index, [block]));
            if (b == config.BlockConfig.Count - 1) break;
            var transition = new DenseTransition(block.OutChannels, channels[b + 1], random);
            features.Append("transition" + index, transition);
            units.Add(new NetworkUnit("transition" + index, [transition]));
        }
        var norm5 = new BatchNorm2d(channels[^1]);
        features.Append("norm5", norm5);
        units.Add(new NetworkUnit("norm5", [norm5]));
        var classifier = AddModule("classifier", new Linear(channels[^1], classes, random));
        _units = [.. units];

        // torchvision's DenseNet uses kaiming_normal_ with its defaults (fan-in, std sqrt(2 / fan_in)) rather than Conv2d's
        // fan-out init. Rescaling the N(0, 2 / fan_out) draws by sqrt(fan_out / fan_in) gives exactly that distribution
        // without drawing every weight twice.
        foreach (var (_, module) in NamedModules())
        {
            if (module is not Conv2d conv) continue;
            var shape = conv.Weight.Value.Shape;
            double fanOut = shape[0] * shape.ElementsFrom(2), fanIn = shape.ElementsFrom(1);
            System.Numerics.Tensors.TensorPrimitives.Multiply(conv.Weight.Value.Span, (float)Math.Sqrt(fanOut / fanIn), conv.Weight.Value.Span);
        }
        classifier.Bias!.Value.Span.Clear();
    }

    /// <summary>The table it was built from.</summary>
    public DenseNetConfig Config { get; }

    /// <inheritdoc />
    public override IReadOnlyList<NetworkUnit> Units => _units;

    /// <inheritdoc />
    public override int FeatureChannels => Config.FeatureChannels;

    /// <inheritdoc />
    public override string HeadName => "classifier";

    /// <summary>
    /// The pairs where a BN is the only consumer of a conv's output: the stem (conv0, norm0) and, in every dense layer,
    /// (conv1, norm2). Elsewhere DenseNet normalises before convolving, and a layer's conv2 output is concatenated and
    /// then read by several later BNs, so those cannot be folded.
    /// </summary>
    public override IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> ConvBatchNormPairs()
    {
        yield return ((Conv2d)Units[0].Modules[0], (BatchNorm2d)Units[0].Modules[1]);
        foreach (var unit in Units)
            if (unit.Modules[0] is DenseBlock block)
                foreach (var layer in block.Layers) yield return (layer.Conv1, layer.Norm2);
    }

    /// <summary>ReLU, global average pooling and flattening: [N, C, h, w] to [N, C], what the classifier receives.</summary>
    public static Tensor PoolFeatures(Tensor features)
    {
        var activated = Ops.Relu(features);
        var pooled = Ops.AdaptiveAvgPool2d(activated, 1, 1);
        ReleaseIntermediate(activated);
        var flat = Ops.Flatten(pooled);
        ReleaseIntermediate(pooled);
        return flat;
    }

    /// <summary>ReLU, global average pooling, flatten, then the head (<c>classifier</c>). Output [N, classes].</summary>
    public override Tensor ForwardHead(Tensor features)
    {
        return HeadOfFlat(PoolFeatures(features));
    }
}

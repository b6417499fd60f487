using System.Globalization;
using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// torchvision 0.14's VGG without batch norm, with its exact keys: <c>features.i</c> (conv 3x3 + ReLU per
/// convolution, a 2x2 max pool closing each block, numbered consecutively: VGG-16's convolutions are features.0, 2, 5, 7,
/// 10, 12, 14, 17, 19, 21, 24, 26, 28 and its pools features.4, 9, 16, 23, 30), <c>avgpool</c> (adaptive, 7 x 7),
/// <c>classifier.0</c>, <c>classifier.3</c>, <c>classifier.6</c> (Linear; 1, 2, 4, 5 are ReLU and Dropout).
/// Units: <c>block1</c>..<c>block5</c>, one per block of convolutions with its closing pool (block1 = features.0..4).
/// The head is the whole <c>classifier</c>; it receives the flattened 7 x 7 pooled map [N, C·49], not a global average.
/// Input [N, 3, H, W] with H, W at least 2^blocks; features [N, C, H/32, W/32] for five blocks; logits [N, classes].
/// </summary>
public sealed class Vgg : ConvNet
{
    private readonly NetworkUnit[] _units;

    /// <summary>Builds the network with torchvision's initialisation: Kaiming normal (fan-out) conv weights, zero conv
    /// biases, Linear weights N(0, 0.01²) and zero biases.</summary>
    /// <param name="config">The layer table, e.g. <see cref="VggConfig.Vgg16"/>.</param>
    /// <param name="classes">Outputs of the last classifier layer.</param>
    /// <param name="seed">Seed of the initial weights and of the dropout masks.</param>
    /// <exception cref="ArgumentException">The config is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is less than 1.</exception>
    public Vgg(VggConfig config, int classes = 1000, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        Config = config;
        var random = new Random(seed);

        var features = AddModule("features", new Sequential());
        var units = new List<NetworkUnit>();
        int inChannels = 3;
        for (int b = 0; b < config.Blocks.Count; b++)
        {
            var modules = new List<Module>();
            foreach (int channels in config.Blocks[b])
            {
                modules.Add(new Conv2d(inChannels, channels, 3, random, Conv2dOptions.Square(padding: 1)));
                modules.Add(new Activation(ActivationKind.ReLU));
                inChannels = channels;
            }
            modules.Add(new MaxPool2d(2, 2));
            foreach (var m in modules) features.Append(m);
            units.Add(new NetworkUnit("block" + (b + 1).ToString(CultureInfo.InvariantCulture), modules));
        }
        AddModule("avgpool", new AdaptiveAvgPool2d(VggConfig.PooledSize, VggConfig.PooledSize));
        ulong dropoutSeed = unchecked((ulong)seed * 2654435761UL);
        AddModule("classifier", new Sequential(
            ClassifierLinear(config.ClassifierInputFeatures, config.HiddenFeatures, random),
            new Activation(ActivationKind.ReLU),
            new Dropout(config.Dropout, dropoutSeed + 1),
            ClassifierLinear(config.HiddenFeatures, config.HiddenFeatures, random),
            new Activation(ActivationKind.ReLU),
            new Dropout(config.Dropout, dropoutSeed + 2),
            ClassifierLinear(config.HiddenFeatures, classes, random)));
        _units = [.. units];
    }

    /// <summary>The layer table it was built from.</summary>
    public VggConfig Config { get; }

    /// <inheritdoc />
    public override IReadOnlyList<NetworkUnit> Units => _units;

    /// <inheritdoc />
    public override int FeatureChannels => Config.FeatureChannels;

    /// <inheritdoc />
    public override string HeadName => "classifier";

    /// <summary>None: VGG-16 has no batch norm.</summary>
    public override IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> ConvBatchNormPairs() => [];

    /// <summary>Adaptive average pooling to 7 x 7 and flattening: [N, C, h, w] to [N, C·49], what the classifier receives.</summary>
    public static Tensor PoolFeatures(Tensor features)
    {
        var pooled = Ops.AdaptiveAvgPool2d(features, VggConfig.PooledSize, VggConfig.PooledSize);
        var flat = Ops.Flatten(pooled);
        ReleaseIntermediate(pooled);
        return flat;
    }

    /// <summary>Adaptive average pooling to 7 x 7, flatten, then the head (<c>classifier</c>). Output [N, classes].</summary>
    public override Tensor ForwardHead(Tensor features)
    {
        return HeadOfFlat(PoolFeatures(features));
    }

    private static Linear ClassifierLinear(int inFeatures, int outFeatures, Random random)
    {
        var linear = new Linear(inFeatures, outFeatures, random);
        Init.Normal(linear.Weight.Value, 0, 0.01, random);
        linear.Bias!.Value.Span.Clear();
        return linear;
    }
}

using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// MobileNetV3 (Howard et al. 2019) with torchvision 0.14's modules and state_dict keys: <c>features.0</c> is the
/// stride-2 3x3 hard-swish stem, then one <c>features.i</c> per row of <see cref="MobileNetV3Options.Blocks"/>, then a 1x1
/// conv to 6x the last block's channels (960 for Large); <c>avgpool</c>; and <c>classifier</c> = [Linear(960, 1280),
/// Hardswish, Dropout, Linear(1280, classes)] (keys <c>classifier.0</c> and <c>classifier.3</c>). Batch norms use
/// epsilon 0.001 and momentum 0.01 as torchvision's. Each <c>features.i</c> is one freezable unit; the head is the whole
/// classifier. Input [N, 3, H, W], output logits [N, classes].
/// </summary>
public sealed class MobileNetV3 : ConvNet
{
    private readonly IReadOnlyList<NetworkUnit> _units;
    private readonly AdaptiveAvgPool2d _pool;

    /// <summary>Builds the network with torchvision's initialisation (Kaiming-normal fan-out convs, BN 1/0, Linear N(0, 0.01) and zero bias).</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public MobileNetV3(MobileNetV3Options? options = null)
    {
        Options = options ?? new MobileNetV3Options();
        Options.Validate();
        var random = new Random(Options.Seed);
        var norm = BatchNormSettings.TensorFlow;
        double width = Options.WidthMultiplier;

        Features = AddModule("features", new Sequential());
        int stem = ChannelRounding.Scale(Options.Blocks[0].InputChannels, width);
        Features.Append(new Conv2dNormActivation(3, stem, 3, random, norm, ActivationKind.Hardswish, stride: 2));
        foreach (var spec in Options.Blocks) Features.Append(new MobileNetV3Block(spec, width, random));
        int lastBlock = ChannelRounding.Scale(Options.Blocks[^1].OutputChannels, width);
        FeatureChannels = 6 * lastBlock;
        Features.Append(new Conv2dNormActivation(lastBlock, FeatureChannels, 1, random, norm, ActivationKind.Hardswish));

        _pool = AddModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        int hidden = ChannelRounding.Scale(Options.LastChannel, width);
        var first = FeatureUnits.NormalLinear(FeatureChannels, hidden, random);
        var last = FeatureUnits.NormalLinear(hidden, Options.Classes, random);
        AddModule("classifier", new Sequential(first, new Activation(ActivationKind.Hardswish), new Dropout(Options.Dropout, (ulong)Options.Seed), last));
        _units = FeatureUnits.Of(Features);
    }

    /// <summary>The options it was built from.</summary>
    public MobileNetV3Options Options { get; }

    /// <summary>The convolutional body, <c>features.0</c> .. <c>features.16</c> for Large.</summary>
    public Sequential Features { get; }

    /// <inheritdoc />
    public override IReadOnlyList<NetworkUnit> Units => _units;

    /// <summary>Channels of the last 1x1 conv: 6x the last block's (960 for Large).</summary>
    public override int FeatureChannels { get; }

    /// <inheritdoc />
    public override string HeadName => "classifier";

    /// <inheritdoc />
    public override IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> ConvBatchNormPairs() => FeatureUnits.ConvBatchNormPairs(Features);

    /// <summary>Global average pooling to [N, C], then the classifier.</summary>
    public override Tensor ForwardHead(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return HeadOfPooled(_pool.Forward(features));
    }
}

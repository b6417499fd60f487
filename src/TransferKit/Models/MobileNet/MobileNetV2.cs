using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// MobileNetV2 (Sandler et al. 2018) with torchvision 0.14's modules and state_dict keys: <c>features.0</c> is the
/// stride-2 3x3 stem (Conv-BN-ReLU6), <c>features.1</c> .. <c>features.17</c> the inverted residual blocks of
/// <see cref="MobileNetV2Options.Stages"/>, <c>features.18</c> the 1x1 conv to 1280 channels, and
/// <c>classifier</c> = [Dropout, Linear] (keys <c>classifier.1.weight</c>). Each <c>features.i</c> is one freezable unit.
/// Input [N, 3, H, W] (224 x 224 for ImageNet weights; any size of at least 1 x 1 works), output logits [N, classes].
/// </summary>
public sealed class MobileNetV2 : ConvNet
{
    private readonly IReadOnlyList<NetworkUnit> _units;

    /// <summary>Builds the network with torchvision's initialisation (Kaiming-normal fan-out convs, BN 1/0, Linear N(0, 0.01) and zero bias).</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public MobileNetV2(MobileNetV2Options? options = null)
    {
        Options = options ?? new MobileNetV2Options();
        Options.Validate();
        var random = new Random(Options.Seed);
        var norm = BatchNormSettings.PyTorchDefault;
        int round = Options.RoundNearest;
        int inChannels = ChannelRounding.MakeDivisible(32 * Options.WidthMultiplier, round);
        FeatureChannels = ChannelRounding.MakeDivisible(1280 * Math.Max(1.0, Options.WidthMultiplier), round);

        Features = AddModule("features", new Sequential());
        Features.Append(new Conv2dNormActivation(3, inChannels, 3, random, norm, ActivationKind.ReLU6, stride: 2));
        foreach (var stage in Options.Stages)
        {
            int outChannels = ChannelRounding.MakeDivisible(stage.Channels * Options.WidthMultiplier, round);
            for (int i = 0; i < stage.Repeats; i++)
            {
                Features.Append(new MobileNetV2Block(inChannels, outChannels, i == 0 ? stage.Stride : 1, stage.ExpandRatio, random));
                inChannels = outChannels;
            }
        }
        Features.Append(new Conv2dNormActivation(inChannels, FeatureChannels, 1, random, norm, ActivationKind.ReLU6));

        var linear = FeatureUnits.NormalLinear(FeatureChannels, Options.Classes, random);
        AddModule("classifier", new Sequential(new Dropout(Options.Dropout, (ulong)Options.Seed), linear));
        _units = FeatureUnits.Of(Features);
    }

    /// <summary>The options it was built from.</summary>
    public MobileNetV2Options Options { get; }

    /// <summary>The convolutional body, <c>features.0</c> .. <c>features.18</c> for the ImageNet table.</summary>
    public Sequential Features { get; }

    /// <inheritdoc />
    public override IReadOnlyList<NetworkUnit> Units => _units;

    /// <summary>Channels of the last 1x1 conv: 1280, or 1280 * width multiplier (rounded) when that is larger.</summary>
    public override int FeatureChannels { get; }

    /// <inheritdoc />
    public override string HeadName => "classifier";

    /// <inheritdoc />
    public override IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> ConvBatchNormPairs() => FeatureUnits.ConvBatchNormPairs(Features);

    /// <summary>Global average pooling to [N, C], then the classifier.</summary>
    public override Tensor ForwardHead(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return HeadOfPooled(Ops.AdaptiveAvgPool2d(features, 1, 1));
    }
}

using System.Globalization;
using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// torchvision 0.14's ResNet (He et al. 2015) with its exact module structure and <c>state_dict</c> keys:
/// <c>conv1</c> (7x7, stride 2), <c>bn1</c>, <c>relu</c>, <c>maxpool</c> (3x3, stride 2), <c>layer1</c>..<c>layer4</c>
/// (blocks <c>layerS.B</c>), <c>avgpool</c>, <c>fc</c>. The depth is data: a <see cref="ResNetConfig"/>.
/// Units: <c>stem</c> (conv1, bn1, relu, maxpool), <c>layer1</c>, <c>layer2</c>, <c>layer3</c>, <c>layer4</c>.
/// Input [N, 3, H, W] (224 x 224 for the ImageNet weights; 32 x 32 already leaves a 1 x 1 final map); features
/// [N, <see cref="FeatureChannels"/>, H/32, W/32]; logits [N, classes].
/// </summary>
public sealed class ResNet : ConvNet
{
    private readonly NetworkUnit[] _units;

    /// <summary>Builds the network with torchvision's initialisation: Kaiming normal (fan-out) convolutions, BN weight 1 and
    /// bias 0, PyTorch's default Linear init, no zero-initialised residual BN.</summary>
    /// <param name="config">The stage table, e.g. <see cref="ResNetConfig.ResNet50"/>.</param>
    /// <param name="classes">Outputs of <c>fc</c>.</param>
    /// <param name="seed">Seed of the initial weights.</param>
    /// <exception cref="ArgumentException">The config is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is less than 1.</exception>
    public ResNet(ResNetConfig config, int classes = 1000, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        Config = config;
        var random = new Random(seed);

        var conv1 = AddModule("conv1", new Conv2d(3, config.Width, 7, random, Conv2dOptions.Square(stride: 2, padding: 3), bias: false));
        var bn1 = AddModule("bn1", new BatchNorm2d(config.Width));
        var relu = AddModule("relu", new Activation(ActivationKind.ReLU));
        var maxpool = AddModule("maxpool", new MaxPool2d(3, 2, 1));
        var units = new List<NetworkUnit> { new("stem", [conv1, bn1, relu, maxpool]) };

        int inChannels = config.Width;
        for (int stage = 0; stage < config.BlocksPerStage.Count; stage++)
        {
            string name = "layer" + (stage + 1).ToString(CultureInfo.InvariantCulture);
            var layer = AddModule(name, MakeStage(config, stage, ref inChannels, random));
            units.Add(new NetworkUnit(name, [layer]));
        }
        AddModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        AddModule("fc", new Linear(inChannels, classes, random));
        _units = [.. units];
    }

    /// <summary>The stage table it was built from.</summary>
    public ResNetConfig Config { get; }

    /// <inheritdoc />
    public override IReadOnlyList<NetworkUnit> Units => _units;

    /// <inheritdoc />
    public override int FeatureChannels => Config.FeatureChannels;

    /// <inheritdoc />
    public override string HeadName => "fc";

    /// <summary>The stem conv/BN and every block's pairs (<c>convK</c>/<c>bnK</c>, <c>downsample.0</c>/<c>downsample.1</c>), in forward order.</summary>
    public override IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> ConvBatchNormPairs()
    {
        yield return ((Conv2d)Units[0].Modules[0], (BatchNorm2d)Units[0].Modules[1]);
        foreach (var unit in Units.Skip(1))
            foreach (var (_, block) in ((Sequential)unit.Modules[0]).Children)
                foreach (var pair in ((ResidualBlock)block).ConvBatchNormPairs()) yield return pair;
    }

    /// <summary>Global average pooling and flattening: [N, C, h, w] to [N, C], what <c>fc</c> receives.</summary>
    public static Tensor PoolFeatures(Tensor features)
    {
        var pooled = Ops.AdaptiveAvgPool2d(features, 1, 1);
        var flat = Ops.Flatten(pooled);
        ReleaseIntermediate(pooled);
        return flat;
    }

    /// <summary>Global average pooling, flatten, then the head (<c>fc</c>). Input [N, C, h, w]; output [N, classes].</summary>
    public override Tensor ForwardHead(Tensor features)
    {
        return HeadOfFlat(PoolFeatures(features));
    }

    private static Sequential MakeStage(ResNetConfig config, int stage, ref int inChannels, Random random)
    {
        int planes = config.Planes(stage), stride = stage == 0 ? 1 : 2;
        var layer = new Sequential();
        for (int b = 0; b < config.BlocksPerStage[stage]; b++)
        {
            ResidualBlock block = config.Block == ResNetBlockKind.Bottleneck
                ? new Bottleneck(inChannels, planes, b == 0 ? stride : 1, random)
                : new BasicBlock(inChannels, planes, b == 0 ? stride : 1, random);
            layer.Append(block);
            inChannels = planes * config.Expansion;
        }
        return layer;
    }
}

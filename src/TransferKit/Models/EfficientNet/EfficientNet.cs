using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// EfficientNet (Tan &amp; Le 2019) with torchvision 0.14's modules and state_dict keys: <c>features.0</c> is the
/// stride-2 3x3 SiLU stem, <c>features.1</c> .. <c>features.7</c> the MBConv stages of <see cref="EfficientNetOptions.Stages"/>
/// (each a Sequential of blocks, keys <c>features.3.1.block.0.0.weight</c>), <c>features.8</c> the 1x1 conv to 1280
/// channels (B0), <c>avgpool</c>, and <c>classifier</c> = [Dropout, Linear] (keys <c>classifier.1.weight</c>). Each
/// <c>features.i</c> is one freezable unit. Input [N, 3, H, W] (224 x 224 for B0's weights), output logits [N, classes].
/// </summary>
public sealed class EfficientNet : ConvNet
{
    private readonly IReadOnlyList<NetworkUnit> _units;
    private readonly AdaptiveAvgPool2d _pool;
    private readonly List<MBConv> _blocks = new();

    /// <summary>
    /// Builds the network with torchvision's initialisation (Kaiming-normal fan-out convs, BN 1/0, Linear
    /// U(-1/sqrt(classes), 1/sqrt(classes)) and zero bias).
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public EfficientNet(EfficientNetOptions? options = null)
    {
        Options = options ?? new EfficientNetOptions();
        Options.Validate();
        var random = new Random(Options.Seed);
        var norm = new BatchNormSettings(Options.BatchNormEps, Options.BatchNormMomentum);
        double width = Options.WidthMultiplier;
        var stages = Options.Stages;

        Features = AddModule("features", new Sequential());
        Features.Append(new Conv2dNormActivation(3, ChannelRounding.Scale(stages[0].InputChannels, width), 3, random, norm, ActivationKind.SiLU, stride: 2));
        int[] layers = [.. stages.Select(s => (int)Math.Ceiling(s.Layers * Options.DepthMultiplier))];
        int total = layers.Sum(), index = 0;
        for (int st = 0; st < stages.Count; st++)
        {
            var stage = stages[st];
            int outChannels = ChannelRounding.Scale(stage.OutputChannels, width);
            var sequence = new Sequential();
            for (int i = 0; i < layers[st]; i++)
            {
                int inChannels = i == 0 ? ChannelRounding.Scale(stage.InputChannels, width) : outChannels;
                // torchvision's linear rule: the drop probability grows with the block's index over all blocks.
                float drop = (float)(Options.StochasticDepthProbability * (double)index / total);
                ulong seed = unchecked((ulong)Options.Seed * 0x100000001B3UL + (ulong)index + 1);
                var block = new MBConv(stage.ExpandRatio, stage.Kernel, i == 0 ? stage.Stride : 1, inChannels, outChannels, drop, seed, norm, random);
                sequence.Append(block);
                _blocks.Add(block);
                index++;
            }
            Features.Append(sequence);
        }
        int lastStage = ChannelRounding.Scale(stages[^1].OutputChannels, width);
        FeatureChannels = Options.LastChannel ?? 4 * lastStage;
        Features.Append(new Conv2dNormActivation(lastStage, FeatureChannels, 1, random, norm, ActivationKind.SiLU));

        _pool = AddModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        var linear = new Linear(FeatureChannels, Options.Classes, random);
        double range = 1.0 / Math.Sqrt(Options.Classes);
        Init.Uniform(linear.Weight.Value, -range, range, random);
        linear.Bias!.Value.Span.Clear();
        AddModule("classifier", new Sequential(new Dropout(Options.Dropout, (ulong)Options.Seed), linear));
        _units = FeatureUnits.Of(Features);
    }

    /// <summary>The options it was built from.</summary>
    public EfficientNetOptions Options { get; }

    /// <summary>The convolutional body, <c>features.0</c> .. <c>features.8</c> for B0.</summary>
    public Sequential Features { get; }

    /// <summary>Each MBConv block's stochastic depth probability in forward order (0 for the first block; 0.2 * 15 / 16 for B0's last).</summary>
    public IReadOnlyList<float> StochasticDepthProbabilities => [.. _blocks.Select(b => b.StochasticDepth.Probability)];

    /// <inheritdoc />
    public override IReadOnlyList<NetworkUnit> Units => _units;

    /// <summary>Channels of the last 1x1 conv (1280 for B0).</summary>
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

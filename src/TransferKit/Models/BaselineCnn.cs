using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// The seed articles' from-scratch baseline: N blocks of [Conv3x3 (no bias), BatchNorm, ReLU, MaxPool2], then global
/// average pooling and a Linear classifier. Keys: <c>features.{i}.0.weight</c>, <c>features.{i}.1.{weight,bias,running_mean,running_var}</c>,
/// <c>classifier.{weight,bias}</c> — the same as the PyTorch module in <c>tools/fixtures/make_fixtures.py</c>.
/// Input [N, InChannels, H, W] with H and W divisible by 2^blocks for exact halving; output logits [N, Classes].
/// </summary>
public sealed class BaselineCnn : ConvNet
{
    /// <summary>Builds the network.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public BaselineCnn(BaselineCnnOptions? options = null)
    {
        Options = options ?? new BaselineCnnOptions();
        Options.Validate();
        var random = new Random(Options.Seed);
        Features = AddModule("features", new Sequential());
        int inChannels = Options.InChannels;
        foreach (int c in Options.Channels)
        {
            Features.Append(new Sequential(
                new Conv2d(inChannels, c, 3, random, Conv2dOptions.Square(padding: 1), bias: false),
                new BatchNorm2d(c),
                new Activation(ActivationKind.ReLU),
                new MaxPool2d(2)));
            inChannels = c;
        }
        Pool = AddModule("pool", new AdaptiveAvgPool2d(1, 1));
        Classifier = AddModule("classifier", new Linear(inChannels, Options.Classes, random));
        Units = Features.Children.Select(kv => new NetworkUnit("features." + kv.Key, [kv.Value])).ToArray();
    }

    /// <inheritdoc />
    public override IReadOnlyList<NetworkUnit> Units { get; }

    /// <inheritdoc />
    public override int FeatureChannels => Options.Channels[^1];

    /// <inheritdoc />
    public override string HeadName => "classifier";

    /// <inheritdoc />
    public override IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> ConvBatchNormPairs() =>
        Features.Children.Select(kv => (Sequential)kv.Value).Select(block => ((Conv2d)block[0], (BatchNorm2d)block[1]));

    /// <summary>The options it was built from.</summary>
    public BaselineCnnOptions Options { get; }

    /// <summary>The convolutional blocks.</summary>
    public Sequential Features { get; }

    /// <summary>Global average pooling.</summary>
    public AdaptiveAvgPool2d Pool { get; }

    /// <summary>The original Linear head; after <see cref="ConvNet.ReplaceHead"/> use <see cref="ConvNet.Head"/>.</summary>
    public Linear Classifier { get; }

    /// <inheritdoc />
    public override Tensor ForwardHead(Tensor features)
    {
        return HeadOfPooled(Pool.Forward(features));
    }
}

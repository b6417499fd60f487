using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Models;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Tests.Weights;

/// <summary>A two-unit ConvNet with head <c>fc</c>, to exercise head handling through <see cref="ConvNet.HeadName"/>.</summary>
internal sealed class TinyConvNet : ConvNet
{
    private readonly Conv2d _conv;
    private readonly BatchNorm2d _norm;
    private readonly NetworkUnit[] _units;

    public TinyConvNet(int classes, int seed)
    {
        var random = new Random(seed);
        _conv = AddModule("conv1", new Conv2d(3, 4, 3, random, Conv2dOptions.Square(padding: 1), bias: false));
        _norm = AddModule("bn1", new BatchNorm2d(4));
        var relu = AddModule("relu", new Activation(ActivationKind.ReLU));
        AddModule("fc", new Linear(4, classes, random));
        _units = [new NetworkUnit("stem", [_conv, _norm, relu])];
    }

    public override IReadOnlyList<NetworkUnit> Units => _units;

    public override int FeatureChannels => 4;

    public override string HeadName => "fc";

    public override IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> ConvBatchNormPairs()
    {
        yield return (_conv, _norm);
    }

    public override Tensor ForwardHead(Tensor features)
    {
        return HeadOfPooled(Ops.AdaptiveAvgPool2d(features, 1, 1));
    }
}

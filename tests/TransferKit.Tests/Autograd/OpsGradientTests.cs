using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Tensors;
using static TransferKit.Tests.Autograd.GradientCheck;

namespace TransferKit.Tests.Autograd;

/// <summary>A finite-difference gradient check for every differentiable primitive, at several shapes.</summary>
public class OpsGradientTests
{
    private readonly Random _random = new(7);

    [Theory]
    [InlineData(1, 3, 4, true)]
    [InlineData(5, 7, 3, false)]
    [InlineData(2, 17, 9, true)]
    public void Linear(int n, int inF, int outF, bool bias)
    {
        var x = Leaf(_random, -1, 1, n, inF);
        var w = Leaf(_random, -1, 1, outF, inF);
        var b = bias ? Leaf(_random, -1, 1, outF) : null;
        Check($"Linear {n}x{inF}->{outF}", t => Ops.Linear(t[0], t[1], bias ? t[2] : null), bias ? [x, w, b!] : [x, w]);
    }

    public static TheoryData<int, int, int, int, int, int, int, int, bool> ConvCases => new()
    {
        // batch, cin, cout, size, kernel, stride, pad, groups, bias   (dilation in its own test)
        { 1, 2, 3, 5, 3, 1, 1, 1, true },
        { 2, 3, 4, 7, 3, 2, 1, 1, false },
        { 1, 4, 6, 6, 1, 1, 0, 1, true },
        { 2, 4, 4, 7, 1, 2, 0, 1, false },
        { 1, 4, 6, 6, 3, 1, 1, 2, true },
        { 2, 4, 4, 7, 3, 1, 1, 4, false },
        { 1, 3, 3, 8, 3, 2, 1, 3, true },
        { 1, 2, 2, 9, 5, 2, 2, 1, true },
    };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2d(int batch, int cin, int cout, int size, int kernel, int stride, int pad, int groups, bool bias)
    {
        var x = Leaf(_random, -1, 1, batch, cin, size, size);
        var w = Leaf(_random, -1, 1, cout, cin / groups, kernel, kernel);
        var b = bias ? Leaf(_random, -1, 1, cout) : null;
        var o = Conv2dOptions.Square(stride, pad, 1, groups);
        Check($"Conv2d k{kernel} s{stride} p{pad} g{groups}", t => Ops.Conv2d(t[0], t[1], bias ? t[2] : null, o), bias ? [x, w, b!] : [x, w]);
    }

    [Fact]
    public void Conv2dDilatedAndRectangular()
    {
        var x = Leaf(_random, -1, 1, 1, 2, 9, 8);
        var w = Leaf(_random, -1, 1, 3, 2, 3, 3);
        Check("Conv2d dilation 2", t => Ops.Conv2d(t[0], t[1], null, new Conv2dOptions(1, 1, 2, 2, 2, 2)), x, w);
        var w17 = Leaf(_random, -1, 1, 3, 2, 1, 7);
        Check("Conv2d 1x7 pad (0,3)", t => Ops.Conv2d(t[0], t[1], null, new Conv2dOptions(PadWidth: 3)), x, w17);
    }

    [Theory]
    [InlineData(4, 3, 5, 5, true)]
    [InlineData(2, 5, 3, 3, false)]
    [InlineData(6, 4, 1, 1, true)]
    public void BatchNorm2d(int n, int c, int h, int w, bool training)
    {
        var x = Leaf(_random, -2, 2, n, c, h, w);
        var gamma = Leaf(_random, 0.5f, 1.5f, c);
        var beta = Leaf(_random, -0.5f, 0.5f, c);
        using var mean = Tensor.Zeros(c).Persist();
        using var variance = Tensor.Full(new Shape(c), 1.3f).Persist();
        // Training mode updates the running statistics on every call; the finite differences must not see them move,
        // and with momentum 0 they stay put.
        Check($"BatchNorm2d training={training}", t => Ops.BatchNorm(t[0], t[1], t[2], mean, variance, training, momentum: 0f), x, gamma, beta);
    }

    [Theory]
    [InlineData(5, 4, true)]
    [InlineData(3, 2, false)]
    public void BatchNorm1d(int n, int c, bool training)
    {
        var x = Leaf(_random, -2, 2, n, c);
        var gamma = Leaf(_random, 0.5f, 1.5f, c);
        var beta = Leaf(_random, -0.5f, 0.5f, c);
        using var mean = Tensor.Zeros(c).Persist();
        using var variance = Tensor.Full(new Shape(c), 0.7f).Persist();
        Check($"BatchNorm1d training={training}", t => Ops.BatchNorm(t[0], t[1], t[2], mean, variance, training, momentum: 0f), x, gamma, beta);
    }

    [Theory]
    [InlineData(2, 2, 0, false, 6)]
    [InlineData(3, 2, 1, false, 7)]
    [InlineData(3, 2, 0, true, 8)]
    [InlineData(3, 1, 1, false, 5)]
    public void MaxPool2d(int kernel, int stride, int pad, bool ceil, int size)
    {
        var x = DistinctLeaf(_random, 2, 2, size, size);
        Check($"MaxPool2d k{kernel} s{stride} p{pad} ceil={ceil}", t => Ops.MaxPool2d(t[0], Pool2dOptions.Square(kernel, stride, pad, ceil)), x);
    }

    [Theory]
    [InlineData(3, 1, 1, false, true)]
    [InlineData(3, 1, 1, false, false)]
    [InlineData(2, 2, 0, true, true)]
    [InlineData(3, 2, 1, true, false)]
    public void AvgPool2d(int kernel, int stride, int pad, bool ceil, bool includePad)
    {
        var x = Leaf(_random, -1, 1, 2, 2, 7, 7);
        Check($"AvgPool2d k{kernel} s{stride} p{pad} ceil={ceil} include={includePad}",
            t => Ops.AvgPool2d(t[0], Pool2dOptions.Square(kernel, stride, pad, ceil, includePad)), x);
    }

    [Theory]
    [InlineData(7, 1)]
    [InlineData(7, 3)]
    [InlineData(5, 7)]
    public void AdaptivePools(int inSize, int outSize)
    {
        var x = DistinctLeaf(_random, 2, 3, inSize, inSize);
        Check($"AdaptiveAvgPool2d {inSize}->{outSize}", t => Ops.AdaptiveAvgPool2d(t[0], outSize, outSize), x);
        Check($"AdaptiveMaxPool2d {inSize}->{outSize}", t => Ops.AdaptiveMaxPool2d(t[0], outSize, outSize), x);
    }

    [Theory]
    [InlineData(ActivationKind.ReLU)]
    [InlineData(ActivationKind.ReLU6)]
    [InlineData(ActivationKind.SiLU)]
    [InlineData(ActivationKind.Sigmoid)]
    [InlineData(ActivationKind.Hardswish)]
    [InlineData(ActivationKind.Tanh)]
    [InlineData(ActivationKind.Identity)]
    public void Activations(ActivationKind kind)
    {
        // Values between the kinks at 0, ±3 and 6, at least 2.5 steps from each.
        float[] anchors = [-5f, -3.5f, -2.5f, -1f, -0.3f, 0.3f, 1f, 2.5f, 3.5f, 5f, 6.5f, 8f];
        var x = Leaf(_random, 0, 1, 3, 12);
        var s = x.Span;
        for (int i = 0; i < s.Length; i++) s[i] = anchors[i % anchors.Length] + 0.2f * (s[i] - 0.5f);
        Check(kind.ToString(), t => Ops.Activation(t[0], kind), x);
    }

    [Theory]
    [InlineData(false, 0f)]
    [InlineData(true, 0f)]
    [InlineData(false, 0.1f)]
    [InlineData(true, 0.3f)]
    public void CrossEntropy(bool weighted, float smoothing)
    {
        var logits = Leaf(_random, -2, 2, 6, 4);
        int[] labels = [0, 3, 1, 1, 2, 3];
        using var weights = Tensor.FromArray([0.5f, 2f, 1f, 1.5f], 4).Persist();
        Check($"CrossEntropy weighted={weighted} smoothing={smoothing}",
            t => Ops.CrossEntropy(t[0], labels, weighted ? weights : null, smoothing), logits);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(3f)]
    public void BinaryCrossEntropyWithLogits(float? positiveWeight)
    {
        var logits = Leaf(_random, -3, 3, 7, 1);
        using var targets = Tensor.FromArray([1, 0, 1, 1, 0, 0, 1], 7, 1).Persist();
        Check($"BCEWithLogits pos_weight={positiveWeight}", t => Ops.BinaryCrossEntropyWithLogits(t[0], targets, positiveWeight), logits);
    }

    [Fact]
    public void SoftmaxAndLogSoftmax()
    {
        var x = Leaf(_random, -2, 2, 4, 5);
        Check("LogSoftmax", t => Ops.LogSoftmax(t[0]), x);
        Check("Softmax", t => Ops.Softmax(t[0]), x);
    }

    [Fact]
    public void AddWithFanOut()
    {
        var a = Leaf(_random, -1, 1, 2, 3, 4, 4);
        var b = Leaf(_random, -1, 1, 2, 3, 4, 4);
        // a feeds both operands of the second add, so its gradient must accumulate from two paths.
        Check("Add", t => Ops.Add(Ops.Add(t[0], t[1]), t[0]), a, b);
    }

    [Fact]
    public void ChannelScale()
    {
        var x = Leaf(_random, -1, 1, 2, 3, 4, 5);
        var s = Leaf(_random, -1, 1, 2, 3, 1, 1);
        Check("ChannelScale", t => Ops.ChannelScale(t[0], t[1]), x, s);
    }

    [Fact]
    public void Concat()
    {
        var a = Leaf(_random, -1, 1, 2, 3, 4, 4);
        var b = Leaf(_random, -1, 1, 2, 1, 4, 4);
        var c = Leaf(_random, -1, 1, 2, 2, 4, 4);
        Check("Concat", t => Ops.Concat(t), a, b, c);
    }

    [Fact]
    public void ReshapeAndFlatten()
    {
        var x = Leaf(_random, -1, 1, 2, 3, 2, 2);
        var w = Leaf(_random, -1, 1, 5, 12);
        Check("Flatten then Linear", t => Ops.Linear(Ops.Flatten(t[0]), t[1], null), x, w);
    }

    [Fact]
    public void DropoutWithFixedSeed()
    {
        var x = Leaf(_random, -1, 1, 4, 50);
        Check("Dropout", t => Ops.Dropout(t[0], 0.4f, seed: 123, training: true), x);
    }
}

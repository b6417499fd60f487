using TransferKit.Autograd;
using TransferKit.Tensors;
using static TransferKit.Tests.Autograd.GradientCheck;

namespace TransferKit.Tests.Autograd;

/// <summary>
/// Finite-difference gradient checks of the primitives added for imported ONNX graphs (broadcast arithmetic, asymmetric
/// padding, MatMul, LeakyRelu, Clip, HardSigmoid), and golden values of their forward passes.
/// </summary>
public class OnnxPrimitiveGradientTests
{
    private readonly Random _random = new(11);

    public static TheoryData<int[], int[], BinaryKind> BroadcastCases => new()
    {
        { [2, 3, 4, 4], [1, 3, 1, 1], BinaryKind.Add },
        { [2, 3, 4, 4], [2, 3, 1, 1], BinaryKind.Multiply },
        { [2, 3, 1, 1], [2, 3, 4, 4], BinaryKind.Multiply },
        { [2, 3, 4, 4], [3, 1, 1], BinaryKind.Subtract },
        { [2, 5], [5], BinaryKind.Divide },
        { [2, 1, 3], [4, 1], BinaryKind.Multiply },
        { [3, 4], [], BinaryKind.Divide },
        { [2, 3, 2, 2], [2, 3, 2, 2], BinaryKind.Subtract },
    };

    [Theory]
    [MemberData(nameof(BroadcastCases))]
    public void Broadcast(int[] a, int[] b, BinaryKind kind)
    {
        var x = Leaf(_random, -1, 1, a);
        // Divisors stay away from zero so the quotient's derivative is tame.
        var y = kind == BinaryKind.Divide ? Leaf(_random, 0.5f, 1.5f, b) : Leaf(_random, -1, 1, b);
        Check($"Broadcast {kind} [{string.Join(",", a)}] [{string.Join(",", b)}]", t => Ops.Broadcast(t[0], t[1], kind), x, y);
    }

    [Fact]
    public void BroadcastForwardGolden()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var b = Tensor.FromArray([10, 20], 2, 1);
        Assert.Equal([11f, 12, 13, 24, 25, 26], Ops.Broadcast(a, b, BinaryKind.Add).ToArray());
        Assert.Equal([0.1f, 0.2f, 0.3f, 0.2f, 0.25f, 0.3f], Ops.Broadcast(a, b, BinaryKind.Divide).ToArray());
        Assert.Throws<ShapeMismatchException>(() => Ops.Broadcast(a, Tensor.Zeros(4), BinaryKind.Add));
    }

    [Theory]
    [InlineData(0, 0, 1, 2, 0f)]
    [InlineData(3, 3, 2, 2, 0f)]
    [InlineData(1, 0, 0, 1, -1f)]
    public void Pad2d(int top, int left, int bottom, int right, float value)
    {
        var x = Leaf(_random, -1, 1, 2, 2, 3, 4);
        Check($"Pad2d {top},{left},{bottom},{right}", t => Ops.Pad2d(t[0], top, left, bottom, right, value), x);
    }

    [Fact]
    public void Pad2dForwardGolden()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1, 2, 3, 4], 1, 1, 2, 2);
        var y = Ops.Pad2d(x, 1, 0, 0, 1, -9f);
        Assert.Equal(new Shape(1, 1, 3, 3), y.Shape);
        Assert.Equal([-9f, -9, -9, 1, 2, -9, 3, 4, -9], y.ToArray());
    }

    [Fact]
    public void PadThenUnpaddedPoolEqualsPaddedPoolForSymmetricPads()
    {
        using var scope = TensorScope.Begin();
        var x = Leaf(_random, -1, 1, 1, 2, 7, 7);
        var own = Ops.MaxPool2d(x, Pool2dOptions.Square(3, 2, padding: 1)).ToArray();
        var explicitPad = Ops.MaxPool2d(Ops.Pad2d(x, 1, 1, 1, 1, float.NegativeInfinity), Pool2dOptions.Square(3, 2)).ToArray();
        Assert.Equal(own, explicitPad);
    }

    [Theory]
    [InlineData(1, 4, 3)]
    [InlineData(5, 7, 2)]
    public void MatMul(int m, int k, int n)
    {
        var a = Leaf(_random, -1, 1, m, k);
        var b = Leaf(_random, -1, 1, k, n);
        Check($"MatMul {m}x{k}x{n}", t => Ops.MatMul(t[0], t[1]), a, b);
    }

    [Fact]
    public void PointwiseActivations()
    {
        Check("LeakyRelu", t => Ops.LeakyRelu(t[0], 0.1f), AwayFromZeroLeaf(_random, 3, 17));
        var clipInput = AwayFromZeroLeaf(_random, 3, 17);
        foreach (ref float v in clipInput.Span) if (Math.Abs(v - 0.7f) < 0.05f) v += 0.1f;
        Check("Clip", t => Ops.Clip(t[0], -0.5f, 0.7f), clipInput);
        var hs = Leaf(_random, -4, 4, 3, 17);
        foreach (ref float v in hs.Span) if (Math.Abs(v * 0.2f + 0.5f) < 0.01f || Math.Abs(v * 0.2f - 0.5f) < 0.01f) v += 0.2f;
        Check("HardSigmoid", t => Ops.HardSigmoid(t[0], 0.2f, 0.5f), hs);
        using var scope = TensorScope.Begin();
        Assert.Equal([-0.2f, 0f, 3f], Ops.LeakyRelu(Tensor.FromArray([-2f, 0f, 3f], 3), 0.1f).ToArray());
        Assert.Equal([-0.5f, 0.25f, 0.7f], Ops.Clip(Tensor.FromArray([-2f, 0.25f, 3f], 3), -0.5f, 0.7f).ToArray());
        Assert.Equal([0f, 0.5f, 1f], Ops.HardSigmoid(Tensor.FromArray([-3f, 0f, 3f], 3), 0.2f, 0.5f).ToArray());
    }
}

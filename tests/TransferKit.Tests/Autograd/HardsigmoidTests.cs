using TransferKit.Autograd;
using TransferKit.Tensors;
using static TransferKit.Tests.Autograd.GradientCheck;

namespace TransferKit.Tests.Autograd;

/// <summary>Ops.Hardsigmoid (MobileNetV3's squeeze-and-excite gate): values, PyTorch's boundary gradients, and a finite-difference check.</summary>
public class HardsigmoidTests
{
    [Fact]
    public void ValuesAndBoundaryGradientsFollowPyTorch()
    {
        using var scope = TensorScope.Begin();
        float[] xs = [-5f, -3f, -1.5f, 0f, 0.75f, 3f, 4f];
        var x = Tensor.FromArray(xs, xs.Length).Persist();
        x.RequiresGrad = true;
        using (var tape = Tape.Begin())
        {
            var y = Ops.Hardsigmoid(x);
            // relu6(x + 3) / 6
            Assert.Equal([0f, 0f, 0.25f, 0.5f, 0.625f, 1f, 1f], y.ToArray());
            tape.Backward(y, Tensor.Full(y.Shape, 1f));
        }
        // 1/6 strictly inside (-3, 3), 0 at and beyond the corners, as PyTorch's hardsigmoid_backward.
        Assert.Equal([0f, 0f, 1f / 6f, 1f / 6f, 1f / 6f, 0f, 0f], x.Grad!.ToArray());
        x.Dispose();
    }

    [Theory]
    [InlineData(1, 7)]
    [InlineData(3, 40)]
    public void GradientMatchesFiniteDifferences(int n, int c)
    {
        var random = new Random(n * 100 + c);
        var x = Leaf(random, -4.5f, 4.5f, n, c, 1, 1);
        // Keep samples 2.5 finite-difference steps away from the corners at -3 and 3.
        var s = x.Span;
        for (int i = 0; i < s.Length; i++)
            if (Math.Abs(Math.Abs(s[i]) - 3f) < 2.5f * Tolerances.GradientCheckStep) s[i] *= 0.9f;
        Check($"Hardsigmoid [{n}, {c}]", t => Ops.Hardsigmoid(t[0]), x);
        x.Dispose();
    }
}

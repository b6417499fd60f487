using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Tensors;

namespace TransferKit.Tests.Models;

/// <summary>Stochastic depth ("row" mode): identity in evaluation, whole images dropped or rescaled in training, reproducible from the seed.</summary>
public class StochasticDepthTests
{
    [Fact]
    public void EvaluationAndZeroProbabilityPassTheInputThrough()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([.. Enumerable.Range(0, 24).Select(i => i * 0.5f)], 2, 3, 2, 2);
        var layer = new StochasticDepth(0.7f, 1);
        layer.Eval();
        Assert.Equal(x.ToArray(), layer.Forward(x).ToArray());
        var off = new StochasticDepth(0f, 1);
        Assert.Equal(x.ToArray(), off.Forward(x).ToArray());
    }

    [Fact]
    public void TrainingDropsOrRescalesWholeImagesReproducibly()
    {
        using var scope = TensorScope.Begin();
        const int n = 4000;
        const float p = 0.3f;
        var x = Tensor.Full(new Shape(n, 2, 1, 2), 1f);
        var first = new StochasticDepth(p, 42).Forward(x).ToArray();
        var again = new StochasticDepth(p, 42).Forward(x).ToArray();
        Assert.Equal(first, again);
        var other = new StochasticDepth(p, 43).Forward(x).ToArray();
        Assert.NotEqual(first, other);

        int dropped = 0;
        for (int i = 0; i < n; i++)
        {
            var row = first.AsSpan(i * 4, 4);
            float v = row[0];
            foreach (float e in row) Assert.Equal(v, e);
            if (v == 0f) dropped++;
            else Assert.Equal(1f / (1f - p), v, 1e-6f);
        }
        // Binomial(4000, 0.3): standard deviation 29, so +-150 is about five of them.
        Assert.InRange(dropped, n * p - 150, n * p + 150);
    }

    [Fact]
    public void GradientFlowsOnlyThroughKeptImages()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Full(new Shape(64, 1, 1, 1), 2f).Persist();
        x.RequiresGrad = true;
        var layer = new StochasticDepth(0.5f, 7);
        float[] y;
        using (var tape = Tape.Begin())
        {
            var output = layer.Forward(x);
            y = output.ToArray();
            tape.Backward(output, Tensor.Full(output.Shape, 1f));
        }
        var g = x.Grad!.ToArray();
        for (int i = 0; i < y.Length; i++) Assert.Equal(y[i] / 2f, g[i]);
        x.Dispose();
    }
}

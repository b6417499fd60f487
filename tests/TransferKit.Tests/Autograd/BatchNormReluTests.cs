using TransferKit.Autograd;
using TransferKit.Tensors;

namespace TransferKit.Tests.Autograd;

/// <summary>
/// The fused training-mode ReLU(batch norm) against the two ops it replaces: the same output, running statistics and
/// gradients, bit for bit, whether its input gradient is added into a leaf's buffer or written into a fresh one.
/// </summary>
public class BatchNormReluTests
{
    /// <summary>Spatial sizes through the 512-bit, 256-bit and scalar parts of the kernels.</summary>
    [Theory]
    [InlineData(2, 3, 1, 3)]
    [InlineData(3, 4, 5, 5)]
    [InlineData(2, 2, 4, 6)]
    [InlineData(4, 5, 9, 7)]
    [InlineData(1, 3, 33, 17)]
    public void MatchesReluOfBatchNormExactly(int batch, int channels, int height, int width)
    {
        foreach (bool intermediate in new[] { false, true })
        {
            var fused = Run(batch, channels, height, width, intermediate, fused: true);
            var composed = Run(batch, channels, height, width, intermediate, fused: false);
            Assert.Equal(composed.Output, fused.Output);
            Assert.Equal(composed.RunningMean, fused.RunningMean);
            Assert.Equal(composed.RunningVar, fused.RunningVar);
            Assert.Equal(composed.GradInput, fused.GradInput);
            Assert.Equal(composed.GradWeight, fused.GradWeight);
            Assert.Equal(composed.GradBias, fused.GradBias);
        }
    }

    [Fact]
    public void OutsideTrainingItIsTheComposition()
    {
        var fused = Run(2, 3, 4, 4, intermediate: true, fused: true, training: false);
        var composed = Run(2, 3, 4, 4, intermediate: true, fused: false, training: false);
        Assert.Equal(composed.Output, fused.Output);
        Assert.Equal(composed.GradInput, fused.GradInput);
    }

    private sealed record Result(float[] Output, float[] RunningMean, float[] RunningVar, float[] GradInput, float[] GradWeight, float[] GradBias);

    private static Result Run(int batch, int channels, int height, int width, bool intermediate, bool fused, bool training = true)
    {
        var random = new Random(batch * 1000 + channels * 100 + height * 10 + width);
        float[] Values(int n, double lo, double hi) => [.. Enumerable.Range(0, n).Select(_ => (float)(lo + random.NextDouble() * (hi - lo)))];
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray(Values(batch * channels * height * width, -3, 4), batch, channels, height, width);
        x.RequiresGrad = true;
        // Negative and positive scales and shifts, so that the ReLU keeps either side of the mean.
        var weight = Tensor.FromArray(Values(channels, -2, 2), channels);
        var bias = Tensor.FromArray(Values(channels, -1, 1), channels);
        weight.RequiresGrad = true;
        bias.RequiresGrad = true;
        var runningMean = Tensor.FromArray(Values(channels, -1, 1), channels);
        var runningVar = Tensor.FromArray(Values(channels, 0.5, 2), channels);
        float[] seed = Values(x.Length, -1, 1);
        using var tape = Tape.Begin();
        var input = intermediate ? Ops.Add(x, x) : x;
        var y = fused
            ? Ops.BatchNormRelu(input, weight, bias, runningMean, runningVar, training, 0.1f, 1e-5f)
            : Ops.Relu(Ops.BatchNorm(input, weight, bias, runningMean, runningVar, training, 0.1f, 1e-5f));
        var output = y.ToArray();
        tape.Backward(y, Tensor.FromArray(seed, y.Shape.ToArray()));
        return new Result(output, runningMean.ToArray(), runningVar.ToArray(), x.Grad!.ToArray(), weight.Grad!.ToArray(), bias.Grad!.ToArray());
    }
}

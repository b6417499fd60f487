using System.Numerics.Tensors;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Losses;

/// <summary>
/// PyTorch's <c>binary_cross_entropy_with_logits(logits, targets, pos_weight=pw)</c> with reduction 'mean', for the
/// single-logit (sigmoid) head: loss = mean over i of -[pw * t * log sigmoid(x) + (1 - t) * log(1 - sigmoid(x))],
/// evaluated in a form that stays finite for any finite logit. Targets may be soft (in [0, 1]).
/// </summary>
public static unsafe class BinaryCrossEntropyWithLogitsKernel
{
    // Per-block partial sums make the total independent of how blocks are spread over threads.
    private const int Block = 4096;

    /// <summary>Returns the mean loss over <paramref name="length"/> elements; NaN when length is 0, as PyTorch's mean over nothing.</summary>
    /// <param name="length">Elements.</param>
    /// <param name="logits">[length] raw scores.</param>
    /// <param name="targets">[length] targets in [0, 1].</param>
    /// <param name="posWeight">Null, or a pointer to the single positive-class weight.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static float Forward(int length, float* logits, float* targets, float* posWeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length == 0) return float.NaN;
        var op = new BinaryCrossEntropyOperator(posWeight == null ? 1f : *posWeight);
        int blocks = (length + Block - 1) / Block;
        if (blocks == 1) return (float)(BlockSum(op, logits, targets, length) / length);
        var partial = new double[blocks];
        ParallelRanges.Run(blocks, length, (b0, b1) =>
        {
            for (int b = b0; b < b1; b++)
            {
                int start = b * Block;
                partial[b] = BlockSum(op, logits + start, targets + start, Math.Min(Block, length - start));
            }
        });
        double total = 0;
        foreach (double p in partial) total += p;
        return (float)(total / length);
    }

    /// <summary>gradLogits[i] += gradLoss / length * ((1 + (pw - 1) * t) * sigmoid(x) - pw * t).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static void Backward(int length, float* logits, float* targets, float* posWeight, float gradLoss, float* gradLogits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length == 0) return;
        var op = new BinaryCrossEntropyGradientOperator(posWeight == null ? 1f : *posWeight, gradLoss / length);
        PointwiseDriver.Accumulate(op, logits, targets, gradLogits, length);
    }

    private static double BlockSum(BinaryCrossEntropyOperator op, float* logits, float* targets, int n)
    {
        float* losses = stackalloc float[Block];
        PointwiseDriver.MapRange(op, logits, targets, losses, n);
        return TensorPrimitives.Sum(new ReadOnlySpan<float>(losses, n));
    }
}

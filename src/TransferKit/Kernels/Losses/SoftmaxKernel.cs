using System.Numerics.Tensors;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Losses;

/// <summary>
/// Row-wise softmax and log-softmax over a row-major [rows, cols] matrix, with the row maximum subtracted first so
/// exp never overflows. Rows are split over threads when the matrix is large. <see cref="NaiveLosses"/> is the twin.
/// </summary>
public static unsafe class SoftmaxKernel
{
    /// <summary>y[r, :] = exp(x[r, :] - max) / sum(exp(x[r, :] - max)); <paramref name="y"/> may be <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative.</exception>
    public static void Forward(int rows, int cols, float* x, float* y)
    {
        Validate(rows, cols);
        if (cols == 0) return;
        ParallelRanges.Run(rows, (long)rows * cols, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                long o = (long)r * cols;
                SoftmaxRow(x + o, y + o, cols);
            }
        });
    }

    /// <summary>y[r, :] = x[r, :] - max - log(sum(exp(x[r, :] - max))); <paramref name="y"/> may be <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative.</exception>
    public static void LogForward(int rows, int cols, float* x, float* y)
    {
        Validate(rows, cols);
        if (cols == 0) return;
        ParallelRanges.Run(rows, (long)rows * cols, (r0, r1) =>
        {
            using var scratch = new ScratchBuffer(cols);
            var exp = scratch.Span;
            for (int r = r0; r < r1; r++)
            {
                long o = (long)r * cols;
                var xs = new ReadOnlySpan<float>(x + o, cols);
                var ys = new Span<float>(y + o, cols);
                float max = TensorPrimitives.Max(xs);
                TensorPrimitives.Subtract(xs, max, ys);
                TensorPrimitives.Exp(ys, exp);
                TensorPrimitives.Subtract(ys, MathF.Log(TensorPrimitives.Sum(exp)), ys);
            }
        });
    }

    /// <summary>
    /// Adds the log-softmax gradient: gradX[r, :] += gradY[r, :] - exp(y[r, :]) * sum(gradY[r, :]), where
    /// <paramref name="y"/> is the output of <see cref="LogForward"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative.</exception>
    public static void LogBackward(int rows, int cols, float* y, float* gradY, float* gradX)
    {
        Validate(rows, cols);
        if (cols == 0) return;
        ParallelRanges.Run(rows, (long)rows * cols, (r0, r1) =>
        {
            using var scratch = new ScratchBuffer(cols);
            var term = scratch.Span;
            for (int r = r0; r < r1; r++)
            {
                long o = (long)r * cols;
                var gy = new ReadOnlySpan<float>(gradY + o, cols);
                var gx = new Span<float>(gradX + o, cols);
                float sum = TensorPrimitives.Sum(gy);
                TensorPrimitives.Exp(new ReadOnlySpan<float>(y + o, cols), term);
                TensorPrimitives.MultiplyAdd(term, -sum, gy, term);
                TensorPrimitives.Add(gx, term, gx);
            }
        });
    }

    private static void SoftmaxRow(float* x, float* y, int cols)
    {
        var xs = new ReadOnlySpan<float>(x, cols);
        var ys = new Span<float>(y, cols);
        float max = TensorPrimitives.Max(xs);
        TensorPrimitives.Subtract(xs, max, ys);
        TensorPrimitives.Exp(ys, ys);
        TensorPrimitives.Divide(ys, TensorPrimitives.Sum(ys), ys);
    }

    private static void Validate(int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
    }
}

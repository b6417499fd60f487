using System.Numerics.Tensors;

namespace TransferKit.Kernels.Elementwise;

/// <summary>
/// Element-wise arithmetic and bias kernels on TensorPrimitives. Forward kernels overwrite their outputs except the
/// bias adds, which add into y in place; the gradient kernels add (+=). Large buffers are split over threads, and the
/// reductions split over columns or channels, so every sum runs in one fixed order whatever the thread count.
/// </summary>
public static unsafe class ElementwiseKernel
{
    /// <summary>y = a + b over <paramref name="length"/> elements; <paramref name="y"/> may be <paramref name="a"/> or <paramref name="b"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static void Add(float* a, float* b, float* y, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ParallelRanges.Run(length, (s, e) =>
            TensorPrimitives.Add(new ReadOnlySpan<float>(a + s, e - s), new ReadOnlySpan<float>(b + s, e - s), new Span<float>(y + s, e - s)));
    }

    /// <summary>Zeroes <paramref name="length"/> floats, on all threads when large (activation gradients run to tens of megabytes).</summary>
    internal static void Clear(float* data, int length) =>
        ParallelRanges.Run(length, (s, e) => new Span<float>(data + s, e - s).Clear());

    /// <summary>target += source (gradient accumulation).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static void AddInPlace(float* source, float* target, int length) => Add(target, source, target, length);

    /// <summary>y = alpha * x; <paramref name="y"/> may be <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static void Scale(float* x, float alpha, float* y, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ParallelRanges.Run(length, (s, e) =>
            TensorPrimitives.Multiply(new ReadOnlySpan<float>(x + s, e - s), alpha, new Span<float>(y + s, e - s)));
    }

    /// <summary>Bias of a Linear layer: y[r, c] += bias[c] for a row-major [rows, cols] matrix.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative.</exception>
    public static void AddRowBias(int rows, int cols, float* bias, float* y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        ParallelRanges.Run(rows, (long)rows * cols, (r0, r1) =>
        {
            var b = new ReadOnlySpan<float>(bias, cols);
            for (int r = r0; r < r1; r++)
            {
                var row = new Span<float>(y + (long)r * cols, cols);
                TensorPrimitives.Add(row, b, row);
            }
        });
    }

    /// <summary>
    /// Bias gradient of a Linear layer: gradBias[c] += sum over r of gradY[r, c]. Threads split the columns, so each
    /// column is summed in row order whatever the thread count.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative.</exception>
    public static void SumRowsInto(int rows, int cols, float* gradY, float* gradBias)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if (rows == 0) return;
        // Column bands of at least one cache line each keep threads off each other's lines.
        const int band = 16;
        int bands = (cols + band - 1) / band;
        ParallelRanges.Run(bands, (long)rows * cols, (b0, b1) =>
        {
            int c0 = b0 * band, c1 = Math.Min(cols, b1 * band);
            var target = new Span<float>(gradBias + c0, c1 - c0);
            for (int r = 0; r < rows; r++)
                TensorPrimitives.Add(target, new ReadOnlySpan<float>(gradY + (long)r * cols + c0, c1 - c0), target);
        });
    }

    /// <summary>Per-channel bias of a convolution: y[n, c, s] += bias[c] for an NCHW tensor with spatial = H * W.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative.</exception>
    public static void AddChannelBias(int batch, int channels, int spatial, float* bias, float* y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(spatial);
        int planes = batch * channels;
        ParallelRanges.Run(planes, (long)planes * spatial, (p0, p1) =>
        {
            for (int p = p0; p < p1; p++)
            {
                var plane = new Span<float>(y + (long)p * spatial, spatial);
                TensorPrimitives.Add(plane, bias[p % channels], plane);
            }
        });
    }

    /// <summary>
    /// Bias gradient of a convolution: gradBias[c] += sum over n and s of gradY[n, c, s]. Threads split the channels;
    /// each plane is summed by TensorPrimitives and the planes of one channel are added in batch order in double.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative.</exception>
    public static void SumChannelsInto(int batch, int channels, int spatial, float* gradY, float* gradBias)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(spatial);
        ParallelRanges.Run(channels, (long)batch * channels * spatial, (c0, c1) =>
        {
            for (int c = c0; c < c1; c++)
            {
                double sum = 0;
                for (int n = 0; n < batch; n++)
                    sum += TensorPrimitives.Sum(new ReadOnlySpan<float>(gradY + ((long)n * channels + c) * spatial, spatial));
                gradBias[c] = (float)(gradBias[c] + sum);
            }
        });
    }
}

using System.Numerics.Tensors;

namespace TransferKit.Kernels.Elementwise;

/// <summary>
/// Concatenation of NCHW tensors along channels (Inception branches): input i is [N, channels[i], spatial] and the
/// output is [N, sum of channels, spatial], spatial = H * W. Each (n, input) block is one contiguous copy.
/// </summary>
public static unsafe class ConcatKernel
{
    /// <summary>Copies every input into its channel band of <paramref name="y"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="channels"/> and <paramref name="inputs"/> differ in length, or an input pointer is zero.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative.</exception>
    public static void Forward(int batch, ReadOnlySpan<int> channels, int spatial, ReadOnlySpan<nint> inputs, float* y)
    {
        (int[] counts, nint[] pointers, int total) = Prepare(batch, channels, spatial, inputs, nameof(inputs));
        foreach (nint p in pointers)
            if (p == 0) throw new ArgumentException("Every input pointer must be non-zero.", nameof(inputs));
        ParallelRanges.Run(batch, (long)batch * total * spatial, (n0, n1) =>
        {
            for (int n = n0; n < n1; n++)
            {
                float* target = y + (long)n * total * spatial;
                for (int i = 0; i < counts.Length; i++)
                {
                    long block = (long)counts[i] * spatial;
                    new ReadOnlySpan<float>((float*)pointers[i] + n * block, checked((int)block)).CopyTo(new Span<float>(target, (int)block));
                    target += block;
                }
            }
        });
    }

    /// <summary>
    /// Copies <paramref name="x"/> [N, <paramref name="channels"/>, spatial] into channels [<paramref name="offset"/>,
    /// offset + channels) of <paramref name="y"/> [N, <paramref name="totalChannels"/>, spatial]: one input's band, for a
    /// concatenation that grows in place (DenseNet's blocks in inference).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, or the band does not fit in <paramref name="totalChannels"/>.</exception>
    public static void CopyBand(int batch, int channels, int spatial, float* x, float* y, int totalChannels, int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(spatial);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + channels, totalChannels, nameof(channels));
        long block = (long)channels * spatial;
        ParallelRanges.Run(batch, batch * block, (n0, n1) =>
        {
            for (int n = n0; n < n1; n++)
                new ReadOnlySpan<float>(x + n * block, checked((int)block))
                    .CopyTo(new Span<float>(y + ((long)n * totalChannels + offset) * spatial, (int)block));
        });
    }

    /// <summary>Adds each channel band of <paramref name="gradY"/> into its input's gradient; a zero entry in <paramref name="gradInputs"/> is skipped.</summary>
    /// <exception cref="ArgumentException"><paramref name="channels"/> and <paramref name="gradInputs"/> differ in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative.</exception>
    public static void Backward(int batch, ReadOnlySpan<int> channels, int spatial, float* gradY, ReadOnlySpan<nint> gradInputs)
    {
        (int[] counts, nint[] pointers, int total) = Prepare(batch, channels, spatial, gradInputs, nameof(gradInputs));
        ParallelRanges.Run(batch, (long)batch * total * spatial, (n0, n1) =>
        {
            for (int n = n0; n < n1; n++)
            {
                float* source = gradY + (long)n * total * spatial;
                for (int i = 0; i < counts.Length; i++)
                {
                    long block = (long)counts[i] * spatial;
                    if (pointers[i] != 0)
                    {
                        var target = new Span<float>((float*)pointers[i] + n * block, checked((int)block));
                        TensorPrimitives.Add(target, new ReadOnlySpan<float>(source, (int)block), target);
                    }
                    source += block;
                }
            }
        });
    }

    // Spans cannot enter the parallel body, so the (few) channel counts and pointers are copied to arrays.
    private static (int[] Counts, nint[] Pointers, int Total) Prepare(int batch, ReadOnlySpan<int> channels, int spatial, ReadOnlySpan<nint> pointers, string pointersName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(spatial);
        if (channels.Length != pointers.Length)
            throw new ArgumentException($"{channels.Length} channel counts but {pointers.Length} tensors.", pointersName);
        int total = 0;
        foreach (int c in channels)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(c, nameof(channels));
            total = checked(total + c);
        }
        return (channels.ToArray(), pointers.ToArray(), total);
    }
}

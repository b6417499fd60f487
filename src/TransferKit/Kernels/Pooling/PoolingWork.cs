namespace TransferKit.Kernels.Pooling;

/// <summary>Shared helpers of the pooling kernels: argument checks and how planes are split across threads.</summary>
internal static unsafe class PoolingWork
{
    /// <summary>Work (window taps) below which a parallel loop is not worth its scheduling cost.</summary>
    private const long MinTapsPerThread = 65_536;

    /// <summary>Minimum planes per thread when each plane costs <paramref name="tapsPerPlane"/>.</summary>
    public static int MinPlanesPerThread(long tapsPerPlane) =>
        (int)Math.Clamp(MinTapsPerThread / Math.Max(1L, tapsPerPlane), 1L, int.MaxValue);

    /// <summary>Throws for a null pointer unless there are no planes (an empty tensor may have no storage).</summary>
    public static void CheckPointer(void* p, string name, long planes)
    {
        if (p == null && planes > 0) throw new ArgumentNullException(name);
    }

    /// <summary>Checks the sizes of an adaptive pooling.</summary>
    public static void CheckAdaptive(int batch, int channels, int inHeight, int inWidth, int outHeight, int outWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        ArgumentOutOfRangeException.ThrowIfLessThan(inHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outWidth, 1);
        long planes = (long)batch * channels;
        if (planes * inHeight * inWidth > int.MaxValue || planes * outHeight * outWidth > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(batch), $"Adaptive pooling tensors of {batch} x {channels} planes exceed {int.MaxValue} elements.");
    }

    /// <summary>First input index of adaptive bin <paramref name="bin"/>: floor(bin * input / output).</summary>
    public static int BinStart(int bin, int input, int output) => (int)((long)bin * input / output);

    /// <summary>One past the last input index of adaptive bin <paramref name="bin"/>: ceil((bin + 1) * input / output).</summary>
    public static int BinEnd(int bin, int input, int output) => (int)(((long)(bin + 1) * input + output - 1) / output);
}

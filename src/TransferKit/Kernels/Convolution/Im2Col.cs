using System.Numerics.Tensors;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// Unfolds input patches into a column matrix and folds them back. For a block of <c>count</c> images and
/// <c>channels</c> input channels the matrix is [channels * KH * KW, count * OH * OW]: row (c, kh, kw) holds, for
/// every output pixel of every image in turn, the input pixel that tap (kh, kw) of channel c sees (0 in the padding).
/// Both directions run in parallel on <see cref="Parallelism"/> and never call GEMM.
/// </summary>
internal static unsafe class Im2Col
{
    /// <summary>Elements per thread below which splitting the copy costs more than it saves.</summary>
    private const int MinElementsPerThread = 16384;

    /// <summary>
    /// Fills <paramref name="col"/> ([channels*KH*KW, count*OH*OW]) from channels [firstChannel, firstChannel + channels)
    /// of images [firstImage, firstImage + count) of <paramref name="input"/> ([N, Cin, H, W]).
    /// </summary>
    public static void Pack(in Conv2dGeometry g, float* input, int firstImage, int count, int firstChannel, int channels, float* col)
    {
        var geo = g;
        int taps = g.KernelHeight * g.KernelWidth;
        int planeOut = g.OutHeight * g.OutWidth;
        long columns = (long)count * planeOut;
        long planeIn = (long)g.InHeight * g.InWidth;
        Parallelism.For(0, channels * taps, row =>
        {
            int c = row / taps, tap = row % taps;
            int kh = tap / geo.KernelWidth, kw = tap % geo.KernelWidth;
            float* dst = col + row * columns;
            for (int j = 0; j < count; j++)
            {
                float* src = input + ((long)(firstImage + j) * geo.InChannels + firstChannel + c) * planeIn;
                PackPlane(geo, src, kh, kw, dst + (long)j * planeOut);
            }
        }, MinPerThread(count * planeOut));
    }

    /// <summary>
    /// Adds the columns of <paramref name="col"/> (laid out as for <see cref="Pack"/>) back onto the input pixels they
    /// were taken from in <paramref name="gradInput"/> ([N, Cin, H, W]). Work is split by (image, channel) so that no
    /// two threads write the same plane.
    /// </summary>
    public static void UnpackAdd(in Conv2dGeometry g, float* col, int firstImage, int count, int firstChannel, int channels, float* gradInput)
    {
        var geo = g;
        int taps = g.KernelHeight * g.KernelWidth;
        int planeOut = g.OutHeight * g.OutWidth;
        long columns = (long)count * planeOut;
        long planeIn = (long)g.InHeight * g.InWidth;
        Parallelism.For(0, count * channels, item =>
        {
            int j = item / channels, c = item % channels;
            float* dst = gradInput + ((long)(firstImage + j) * geo.InChannels + firstChannel + c) * planeIn;
            for (int tap = 0; tap < taps; tap++)
            {
                float* src = col + (c * taps + tap) * columns + (long)j * planeOut;
                UnpackPlaneAdd(geo, src, tap / geo.KernelWidth, tap % geo.KernelWidth, dst);
            }
        }, MinPerThread(taps * planeOut));
    }

    private static int MinPerThread(int elementsPerItem) => Math.Max(1, MinElementsPerThread / Math.Max(1, elementsPerItem));

    /// <summary>The output index range [lo, hi) whose tap at offset <paramref name="offset"/> lands inside [0, size).</summary>
    internal static (int Lo, int Hi) ValidRange(int offset, int stride, int size, int outSize)
    {
        // i = o * stride + offset must satisfy 0 <= i < size.
        int lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int last = size - 1 - offset;
        int hi = last < 0 ? 0 : Math.Min(outSize, last / stride + 1);
        lo = Math.Min(lo, outSize);
        return (lo, Math.Max(lo, hi));
    }

    /// <summary>
    /// Fills <paramref name="col"/> ([channels*KH*KW, (rowEnd - rowStart)*OW]) for output rows [rowStart, rowEnd) of one
    /// image, on the calling thread: the rows of <see cref="Pack"/>'s matrix for that image, cut to a band of the plane,
    /// so that a large plane's matrix can be built and multiplied band by band while it is in cache.
    /// </summary>
    public static void PackBand(in Conv2dGeometry g, float* input, int image, int firstChannel, int channels, int rowStart, int rowEnd, float* col)
    {
        int taps = g.KernelHeight * g.KernelWidth;
        long columns = (long)(rowEnd - rowStart) * g.OutWidth;
        long planeIn = (long)g.InHeight * g.InWidth;
        for (int row = 0; row < channels * taps; row++)
        {
            int c = row / taps, tap = row % taps;
            float* src = input + ((long)image * g.InChannels + firstChannel + c) * planeIn;
            PackPlane(g, src, tap / g.KernelWidth, tap % g.KernelWidth, col + row * columns, rowStart, rowEnd);
        }
    }

    /// <summary>One (channel, tap) row of the matrix for output rows [rowStart, rowEnd) (all of them by default).</summary>
    private static void PackPlane(in Conv2dGeometry g, float* src, int kh, int kw, float* dst, int rowStart = 0, int rowEnd = -1)
    {
        int oh = rowEnd < 0 ? g.OutHeight : rowEnd, ow = g.OutWidth, w = g.InWidth, sw = g.StrideWidth;
        int offH = kh * g.DilationHeight - g.PadHeight, offW = kw * g.DilationWidth - g.PadWidth;
        var (hLo, hHi) = ValidRange(offH, g.StrideHeight, g.InHeight, g.OutHeight);
        hLo = Math.Clamp(hLo, rowStart, oh);
        hHi = Math.Clamp(hHi, hLo, oh);
        var (wLo, wHi) = ValidRange(offW, sw, w, ow);
        dst -= (long)rowStart * ow;
        new Span<float>(dst + (long)rowStart * ow, (hLo - rowStart) * ow).Clear();
        for (int y = hLo; y < hHi; y++)
        {
            float* d = dst + (long)y * ow;
            float* s = src + (long)(y * g.StrideHeight + offH) * w + offW;
            new Span<float>(d, wLo).Clear();
            if (sw == 1) new ReadOnlySpan<float>(s + wLo, wHi - wLo).CopyTo(new Span<float>(d + wLo, wHi - wLo));
            else StridedGather.Copy(s + (long)wLo * sw, sw, d + wLo, wHi - wLo);
            new Span<float>(d + wHi, ow - wHi).Clear();
        }
        new Span<float>(dst + (long)hHi * ow, (oh - hHi) * ow).Clear();
    }

    private static void UnpackPlaneAdd(in Conv2dGeometry g, float* src, int kh, int kw, float* dst)
    {
        int ow = g.OutWidth, w = g.InWidth, sw = g.StrideWidth;
        int offH = kh * g.DilationHeight - g.PadHeight, offW = kw * g.DilationWidth - g.PadWidth;
        var (hLo, hHi) = ValidRange(offH, g.StrideHeight, g.InHeight, g.OutHeight);
        var (wLo, wHi) = ValidRange(offW, sw, w, ow);
        int n = wHi - wLo;
        if (n == 0) return;
        for (int y = hLo; y < hHi; y++)
        {
            float* s = src + (long)y * ow;
            float* d = dst + (long)(y * g.StrideHeight + offH) * w + offW;
            if (sw == 1)
            {
                var target = new Span<float>(d + wLo, n);
                TensorPrimitives.Add(target, new ReadOnlySpan<float>(s + wLo, n), target);
            }
            else
            {
                for (int x = wLo; x < wHi; x++) d[x * sw] += s[x];
            }
        }
    }
}

using System.Numerics.Tensors;

namespace TransferKit.Kernels.Pooling;

/// <summary>
/// Adaptive 2-D average pooling with PyTorch's bins: output cell i along a dimension averages input cells
/// [floor(i * in / out), ceil((i + 1) * in / out)), so bins may overlap and out may exceed in.
/// An output of 1x1 is global average pooling. Planes run in parallel.
/// </summary>
public static unsafe class AdaptiveAvgPool2dKernel
{
    /// <summary>Forward pass. Overwrites <paramref name="y"/>.</summary>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="inHeight">Input height (at least 1).</param>
    /// <param name="inWidth">Input width (at least 1).</param>
    /// <param name="outHeight">Output height (at least 1).</param>
    /// <param name="outWidth">Output width (at least 1).</param>
    /// <param name="x">Input [N, C, inHeight, inWidth].</param>
    /// <param name="y">Output [N, C, outHeight, outWidth].</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    /// <exception cref="ArgumentNullException">A pointer is null.</exception>
    public static void Forward(int batch, int channels, int inHeight, int inWidth, int outHeight, int outWidth, float* x, float* y)
    {
        PoolingWork.CheckAdaptive(batch, channels, inHeight, inWidth, outHeight, outWidth);
        PoolingWork.CheckPointer(x, nameof(x), (long)batch * channels);
        PoolingWork.CheckPointer(y, nameof(y), (long)batch * channels);
        int inPlane = inHeight * inWidth, outPlane = outHeight * outWidth;
        if (inHeight == outHeight && inWidth == outWidth)
        {
            // Every bin is one cell (a 1x1 feature map pooled to 1x1): the average is the value itself.
            new ReadOnlySpan<float>(x, batch * channels * inPlane).CopyTo(new Span<float>(y, batch * channels * outPlane));
            return;
        }
        Parallelism.For(0, batch * channels, plane =>
        {
            float* src = x + (long)plane * inPlane;
            float* dst = y + (long)plane * outPlane;
            if (outPlane == 1)
            {
                dst[0] = TensorPrimitives.Sum(new ReadOnlySpan<float>(src, inPlane)) / inPlane;
                return;
            }
            for (int oh = 0; oh < outHeight; oh++)
            {
                int h0 = PoolingWork.BinStart(oh, inHeight, outHeight), h1 = PoolingWork.BinEnd(oh, inHeight, outHeight);
                for (int ow = 0; ow < outWidth; ow++)
                {
                    int w0 = PoolingWork.BinStart(ow, inWidth, outWidth), w1 = PoolingWork.BinEnd(ow, inWidth, outWidth);
                    float sum = 0;
                    for (int h = h0; h < h1; h++)
                    {
                        float* row = src + h * inWidth;
                        for (int w = w0; w < w1; w++) sum += row[w];
                    }
                    dst[oh * outWidth + ow] = sum / ((h1 - h0) * (w1 - w0));
                }
            }
        }, PoolingWork.MinPlanesPerThread(Math.Max(inPlane, outPlane)));
    }

    /// <summary>Backward pass: each output gradient, divided by its bin's size, is added to the bin's cells. ADDS into <paramref name="gradX"/>.</summary>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="inHeight">Input height.</param>
    /// <param name="inWidth">Input width.</param>
    /// <param name="outHeight">Output height.</param>
    /// <param name="outWidth">Output width.</param>
    /// <param name="gradY">Output gradient [N, C, outHeight, outWidth].</param>
    /// <param name="gradX">Input gradient [N, C, inHeight, inWidth], accumulated.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    /// <exception cref="ArgumentNullException">A pointer is null.</exception>
    public static void Backward(int batch, int channels, int inHeight, int inWidth, int outHeight, int outWidth, float* gradY, float* gradX)
    {
        PoolingWork.CheckAdaptive(batch, channels, inHeight, inWidth, outHeight, outWidth);
        PoolingWork.CheckPointer(gradY, nameof(gradY), (long)batch * channels);
        PoolingWork.CheckPointer(gradX, nameof(gradX), (long)batch * channels);
        int inPlane = inHeight * inWidth, outPlane = outHeight * outWidth;
        if (inHeight == outHeight && inWidth == outWidth)
        {
            var all = new Span<float>(gradX, batch * channels * inPlane);
            TensorPrimitives.Add(all, new ReadOnlySpan<float>(gradY, all.Length), all);
            return;
        }
        Parallelism.For(0, batch * channels, plane =>
        {
            float* gy = gradY + (long)plane * outPlane;
            float* gx = gradX + (long)plane * inPlane;
            if (outPlane == 1)
            {
                var span = new Span<float>(gx, inPlane);
                TensorPrimitives.Add(span, gy[0] / inPlane, span);
                return;
            }
            for (int oh = 0; oh < outHeight; oh++)
            {
                int h0 = PoolingWork.BinStart(oh, inHeight, outHeight), h1 = PoolingWork.BinEnd(oh, inHeight, outHeight);
                for (int ow = 0; ow < outWidth; ow++)
                {
                    int w0 = PoolingWork.BinStart(ow, inWidth, outWidth), w1 = PoolingWork.BinEnd(ow, inWidth, outWidth);
                    float share = gy[oh * outWidth + ow] / ((h1 - h0) * (w1 - w0));
                    for (int h = h0; h < h1; h++)
                    {
                        float* row = gx + h * inWidth;
                        for (int w = w0; w < w1; w++) row[w] += share;
                    }
                }
            }
        }, PoolingWork.MinPlanesPerThread(Math.Max(inPlane, outPlane)));
    }
}

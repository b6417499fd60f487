namespace TransferKit.Kernels.Pooling;

/// <summary>
/// Adaptive 2-D max pooling over PyTorch's bins [floor(i * in / out), ceil((i + 1) * in / out)); an output of 1x1
/// is global max pooling (the max half of fastai's concat pooling head). Ties keep the first maximum in row-major
/// order and a NaN wins, as in <see cref="MaxPool2dKernel"/>. Planes run in parallel.
/// </summary>
public static unsafe class AdaptiveMaxPool2dKernel
{
    /// <summary>Forward pass. Overwrites <paramref name="y"/> and <paramref name="argmax"/>.</summary>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="inHeight">Input height (at least 1).</param>
    /// <param name="inWidth">Input width (at least 1).</param>
    /// <param name="outHeight">Output height (at least 1).</param>
    /// <param name="outWidth">Output width (at least 1).</param>
    /// <param name="x">Input [N, C, inHeight, inWidth].</param>
    /// <param name="y">Output [N, C, outHeight, outWidth].</param>
    /// <param name="argmax">Output [N, C, outHeight, outWidth]: index h * inWidth + w of each maximum within its input plane.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    /// <exception cref="ArgumentNullException">A pointer is null.</exception>
    public static void Forward(int batch, int channels, int inHeight, int inWidth, int outHeight, int outWidth, float* x, float* y, int* argmax)
    {
        PoolingWork.CheckAdaptive(batch, channels, inHeight, inWidth, outHeight, outWidth);
        PoolingWork.CheckPointer(x, nameof(x), (long)batch * channels);
        PoolingWork.CheckPointer(y, nameof(y), (long)batch * channels);
        PoolingWork.CheckPointer(argmax, nameof(argmax), (long)batch * channels);
        int inPlane = inHeight * inWidth, outPlane = outHeight * outWidth;
        Parallelism.For(0, batch * channels, plane =>
        {
            float* src = x + (long)plane * inPlane;
            float* dst = y + (long)plane * outPlane;
            int* idx = argmax + (long)plane * outPlane;
            for (int oh = 0; oh < outHeight; oh++)
            {
                int h0 = PoolingWork.BinStart(oh, inHeight, outHeight), h1 = PoolingWork.BinEnd(oh, inHeight, outHeight);
                for (int ow = 0; ow < outWidth; ow++)
                {
                    int w0 = PoolingWork.BinStart(ow, inWidth, outWidth), w1 = PoolingWork.BinEnd(ow, inWidth, outWidth);
                    int best = h0 * inWidth + w0;
                    float max = float.NegativeInfinity;
                    for (int h = h0; h < h1; h++)
                    {
                        float* row = src + h * inWidth;
                        for (int w = w0; w < w1; w++)
                        {
                            float v = row[w];
                            if (v > max || float.IsNaN(v))
                            {
                                max = v;
                                best = h * inWidth + w;
                            }
                        }
                    }
                    dst[oh * outWidth + ow] = max;
                    idx[oh * outWidth + ow] = best;
                }
            }
        }, PoolingWork.MinPlanesPerThread(Math.Max(inPlane, outPlane)));
    }

    /// <summary>Backward pass: gradX[argmax] += gradY, plane by plane. ADDS into <paramref name="gradX"/>.</summary>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="inHeight">Input height.</param>
    /// <param name="inWidth">Input width.</param>
    /// <param name="outHeight">Output height.</param>
    /// <param name="outWidth">Output width.</param>
    /// <param name="gradY">Output gradient [N, C, outHeight, outWidth].</param>
    /// <param name="argmax">Indices from <see cref="Forward"/>.</param>
    /// <param name="gradX">Input gradient [N, C, inHeight, inWidth], accumulated.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    /// <exception cref="ArgumentNullException">A pointer is null.</exception>
    public static void Backward(int batch, int channels, int inHeight, int inWidth, int outHeight, int outWidth, float* gradY, int* argmax, float* gradX)
    {
        PoolingWork.CheckAdaptive(batch, channels, inHeight, inWidth, outHeight, outWidth);
        PoolingWork.CheckPointer(gradY, nameof(gradY), (long)batch * channels);
        PoolingWork.CheckPointer(argmax, nameof(argmax), (long)batch * channels);
        PoolingWork.CheckPointer(gradX, nameof(gradX), (long)batch * channels);
        MaxPool2dKernel.ScatterAdd(batch * channels, inHeight * inWidth, outHeight * outWidth, gradY, argmax, gradX);
    }
}

namespace TransferKit.Kernels.Pooling;

/// <summary>
/// Reference twins of the pooling kernels: single-threaded loops over every window tap (padded ones included,
/// skipped by an explicit bounds test), double accumulation, and adaptive bins from floating-point floor/ceil.
/// They are the test oracles; same contracts and layouts as the fast kernels.
/// </summary>
public static unsafe class NaivePooling
{
    /// <summary>Reference of <see cref="MaxPool2dKernel.Forward"/>.</summary>
    /// <param name="g">Geometry.</param>
    /// <param name="x">Input [N, C, H, W].</param>
    /// <param name="y">Output [N, C, OH, OW].</param>
    /// <param name="argmax">Output indices within the input plane.</param>
    public static void MaxPool2dForward(in Pool2dGeometry g, float* x, float* y, int* argmax)
    {
        g.Validate();
        int outH = g.OutHeight, outW = g.OutWidth;
        for (int p = 0; p < g.Planes; p++)
            for (int oh = 0; oh < outH; oh++)
                for (int ow = 0; ow < outW; ow++)
                {
                    float max = float.NegativeInfinity;
                    int best = -1;
                    for (int kh = 0; kh < g.KernelHeight; kh++)
                        for (int kw = 0; kw < g.KernelWidth; kw++)
                        {
                            int h = oh * g.StrideHeight - g.PadHeight + kh, w = ow * g.StrideWidth - g.PadWidth + kw;
                            if (h < 0 || h >= g.InHeight || w < 0 || w >= g.InWidth) continue;
                            float v = x[(long)p * g.InPlane + h * g.InWidth + w];
                            if (best < 0 || v > max || float.IsNaN(v))
                            {
                                max = v;
                                best = h * g.InWidth + w;
                            }
                        }
                    long o = (long)p * outH * outW + oh * outW + ow;
                    y[o] = max;
                    argmax[o] = best;
                }
    }

    /// <summary>Reference of <see cref="MaxPool2dKernel.Backward(in Pool2dGeometry, float*, int*, float*)"/> (ADDS).</summary>
    /// <param name="g">Geometry.</param>
    /// <param name="gradY">Output gradient.</param>
    /// <param name="argmax">Indices from the forward pass.</param>
    /// <param name="gradX">Input gradient, accumulated.</param>
    public static void MaxPool2dBackward(in Pool2dGeometry g, float* gradY, int* argmax, float* gradX)
    {
        g.Validate();
        ScatterArgmax(g.Planes, g.InPlane, g.OutPlane, gradY, argmax, gradX);
    }

    /// <summary>Reference of <see cref="AvgPool2dKernel.Forward"/>.</summary>
    /// <param name="g">Geometry.</param>
    /// <param name="x">Input [N, C, H, W].</param>
    /// <param name="y">Output [N, C, OH, OW].</param>
    public static void AvgPool2dForward(in Pool2dGeometry g, float* x, float* y)
    {
        g.Validate();
        int outH = g.OutHeight, outW = g.OutWidth;
        for (int p = 0; p < g.Planes; p++)
            for (int oh = 0; oh < outH; oh++)
                for (int ow = 0; ow < outW; ow++)
                {
                    double sum = 0;
                    for (int kh = 0; kh < g.KernelHeight; kh++)
                        for (int kw = 0; kw < g.KernelWidth; kw++)
                        {
                            int h = oh * g.StrideHeight - g.PadHeight + kh, w = ow * g.StrideWidth - g.PadWidth + kw;
                            if (h >= 0 && h < g.InHeight && w >= 0 && w < g.InWidth)
                                sum += x[(long)p * g.InPlane + h * g.InWidth + w];
                        }
                    int divisor = AvgDivisor(g, oh, ow);
                    y[(long)p * outH * outW + oh * outW + ow] = divisor == 0 ? 0f : (float)(sum / divisor);
                }
    }

    /// <summary>Reference of <see cref="AvgPool2dKernel.Backward"/> (ADDS), written as a gather: each input cell
    /// sums the shares of every output window that covers it.</summary>
    /// <param name="g">Geometry.</param>
    /// <param name="gradY">Output gradient.</param>
    /// <param name="gradX">Input gradient, accumulated.</param>
    public static void AvgPool2dBackward(in Pool2dGeometry g, float* gradY, float* gradX)
    {
        g.Validate();
        int outH = g.OutHeight, outW = g.OutWidth;
        for (int p = 0; p < g.Planes; p++)
            for (int h = 0; h < g.InHeight; h++)
                for (int w = 0; w < g.InWidth; w++)
                {
                    double sum = 0;
                    for (int oh = 0; oh < outH; oh++)
                        for (int ow = 0; ow < outW; ow++)
                        {
                            int kh = h - (oh * g.StrideHeight - g.PadHeight), kw = w - (ow * g.StrideWidth - g.PadWidth);
                            if (kh < 0 || kh >= g.KernelHeight || kw < 0 || kw >= g.KernelWidth) continue;
                            sum += (double)gradY[(long)p * outH * outW + oh * outW + ow] / AvgDivisor(g, oh, ow);
                        }
                    gradX[(long)p * g.InPlane + h * g.InWidth + w] += (float)sum;
                }
    }

    /// <summary>Reference of <see cref="AdaptiveAvgPool2dKernel.Forward"/>.</summary>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="inHeight">Input height.</param>
    /// <param name="inWidth">Input width.</param>
    /// <param name="outHeight">Output height.</param>
    /// <param name="outWidth">Output width.</param>
    /// <param name="x">Input.</param>
    /// <param name="y">Output.</param>
    public static void AdaptiveAvgPool2dForward(int batch, int channels, int inHeight, int inWidth, int outHeight, int outWidth, float* x, float* y)
    {
        PoolingWork.CheckAdaptive(batch, channels, inHeight, inWidth, outHeight, outWidth);
        for (int p = 0; p < batch * channels; p++)
            for (int oh = 0; oh < outHeight; oh++)
                for (int ow = 0; ow < outWidth; ow++)
                {
                    (int h0, int h1) = Bin(oh, inHeight, outHeight);
                    (int w0, int w1) = Bin(ow, inWidth, outWidth);
                    double sum = 0;
                    int count = 0;
                    for (int h = h0; h < h1; h++)
                        for (int w = w0; w < w1; w++, count++) sum += x[((long)p * inHeight + h) * inWidth + w];
                    y[((long)p * outHeight + oh) * outWidth + ow] = (float)(sum / count);
                }
    }

    /// <summary>Reference of <see cref="AdaptiveAvgPool2dKernel.Backward"/> (ADDS).</summary>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="inHeight">Input height.</param>
    /// <param name="inWidth">Input width.</param>
    /// <param name="outHeight">Output height.</param>
    /// <param name="outWidth">Output width.</param>
    /// <param name="gradY">Output gradient.</param>
    /// <param name="gradX">Input gradient, accumulated.</param>
    public static void AdaptiveAvgPool2dBackward(int batch, int channels, int inHeight, int inWidth, int outHeight, int outWidth, float* gradY, float* gradX)
    {
        PoolingWork.CheckAdaptive(batch, channels, inHeight, inWidth, outHeight, outWidth);
        for (int p = 0; p < batch * channels; p++)
            for (int h = 0; h < inHeight; h++)
                for (int w = 0; w < inWidth; w++)
                {
                    double sum = 0;
                    for (int oh = 0; oh < outHeight; oh++)
                        for (int ow = 0; ow < outWidth; ow++)
                        {
                            (int h0, int h1) = Bin(oh, inHeight, outHeight);
                            (int w0, int w1) = Bin(ow, inWidth, outWidth);
                            if (h < h0 || h >= h1 || w < w0 || w >= w1) continue;
                            sum += (double)gradY[((long)p * outHeight + oh) * outWidth + ow] / ((h1 - h0) * (w1 - w0));
                        }
                    gradX[((long)p * inHeight + h) * inWidth + w] += (float)sum;
                }
    }

    /// <summary>Reference of <see cref="AdaptiveMaxPool2dKernel.Forward"/>.</summary>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="inHeight">Input height.</param>
    /// <param name="inWidth">Input width.</param>
    /// <param name="outHeight">Output height.</param>
    /// <param name="outWidth">Output width.</param>
    /// <param name="x">Input.</param>
    /// <param name="y">Output.</param>
    /// <param name="argmax">Output indices within the input plane.</param>
    public static void AdaptiveMaxPool2dForward(int batch, int channels, int inHeight, int inWidth, int outHeight, int outWidth, float* x, float* y, int* argmax)
    {
        PoolingWork.CheckAdaptive(batch, channels, inHeight, inWidth, outHeight, outWidth);
        for (int p = 0; p < batch * channels; p++)
            for (int oh = 0; oh < outHeight; oh++)
                for (int ow = 0; ow < outWidth; ow++)
                {
                    (int h0, int h1) = Bin(oh, inHeight, outHeight);
                    (int w0, int w1) = Bin(ow, inWidth, outWidth);
                    float max = float.NegativeInfinity;
                    int best = -1;
                    for (int h = h0; h < h1; h++)
                        for (int w = w0; w < w1; w++)
                        {
                            float v = x[((long)p * inHeight + h) * inWidth + w];
                            if (best < 0 || v > max || float.IsNaN(v))
                            {
                                max = v;
                                best = h * inWidth + w;
                            }
                        }
                    long o = ((long)p * outHeight + oh) * outWidth + ow;
                    y[o] = max;
                    argmax[o] = best;
                }
    }

    /// <summary>Reference of <see cref="AdaptiveMaxPool2dKernel.Backward"/> (ADDS).</summary>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="inHeight">Input height.</param>
    /// <param name="inWidth">Input width.</param>
    /// <param name="outHeight">Output height.</param>
    /// <param name="outWidth">Output width.</param>
    /// <param name="gradY">Output gradient.</param>
    /// <param name="argmax">Indices from the forward pass.</param>
    /// <param name="gradX">Input gradient, accumulated.</param>
    public static void AdaptiveMaxPool2dBackward(int batch, int channels, int inHeight, int inWidth, int outHeight, int outWidth, float* gradY, int* argmax, float* gradX)
    {
        PoolingWork.CheckAdaptive(batch, channels, inHeight, inWidth, outHeight, outWidth);
        ScatterArgmax(batch * channels, inHeight * inWidth, outHeight * outWidth, gradY, argmax, gradX);
    }

    private static void ScatterArgmax(int planes, int inPlane, int outPlane, float* gradY, int* argmax, float* gradX)
    {
        for (int p = 0; p < planes; p++)
            for (int o = 0; o < outPlane; o++)
                gradX[(long)p * inPlane + argmax[(long)p * outPlane + o]] += gradY[(long)p * outPlane + o];
    }

    /// <summary>Window taps that lie inside the padded input (count_include_pad) or inside the input itself.</summary>
    private static int AvgDivisor(in Pool2dGeometry g, int oh, int ow)
    {
        int lowH = g.CountIncludePad ? -g.PadHeight : 0, highH = g.CountIncludePad ? g.InHeight + g.PadHeight : g.InHeight;
        int lowW = g.CountIncludePad ? -g.PadWidth : 0, highW = g.CountIncludePad ? g.InWidth + g.PadWidth : g.InWidth;
        int count = 0;
        for (int kh = 0; kh < g.KernelHeight; kh++)
            for (int kw = 0; kw < g.KernelWidth; kw++)
            {
                int h = oh * g.StrideHeight - g.PadHeight + kh, w = ow * g.StrideWidth - g.PadWidth + kw;
                if (h >= lowH && h < highH && w >= lowW && w < highW) count++;
            }
        return count;
    }

    private static (int Start, int End) Bin(int i, int input, int output) =>
        ((int)Math.Floor((double)i * input / output), (int)Math.Ceiling((double)(i + 1) * input / output));
}

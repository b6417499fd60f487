namespace TransferKit.Kernels.Pooling;

/// <summary>
/// 2-D average pooling with PyTorch's semantics. Each window is first clipped to the padded input
/// [-pad, in + pad) (so a ceil-mode window hanging past the padding counts only the cells up to the padded
/// border), and that clipped size is the divisor when <see cref="Pool2dGeometry.CountIncludePad"/> is true; otherwise
/// the divisor is the number of real input cells in the window. Planes run in parallel.
/// </summary>
public static unsafe class AvgPool2dKernel
{
    /// <summary>Forward pass. Overwrites <paramref name="y"/>.</summary>
    /// <param name="g">The geometry; validated here.</param>
    /// <param name="x">Input [N, C, InHeight, InWidth].</param>
    /// <param name="y">Output [N, C, OutHeight, OutWidth].</param>
    /// <exception cref="ArgumentException">The geometry is invalid (see <see cref="Pool2dGeometry.Validate"/>).</exception>
    /// <exception cref="ArgumentNullException">A pointer is null.</exception>
    public static void Forward(in Pool2dGeometry g, float* x, float* y)
    {
        g.Validate();
        PoolingWork.CheckPointer(x, nameof(x), g.Planes);
        PoolingWork.CheckPointer(y, nameof(y), g.Planes);
        Pool2dGeometry geo = g;
        Parallelism.For(0, geo.Planes, plane =>
            ForwardPlane(geo, x + (long)plane * geo.InPlane, y + (long)plane * geo.OutPlane),
            PoolingWork.MinPlanesPerThread((long)geo.OutPlane * geo.KernelHeight * geo.KernelWidth));
    }

    /// <summary>Backward pass: each output gradient, divided by its window's divisor, is added to the window's
    /// real input cells. ADDS into <paramref name="gradX"/>.</summary>
    /// <param name="g">The geometry of the forward pass.</param>
    /// <param name="gradY">Output gradient [N, C, OutHeight, OutWidth].</param>
    /// <param name="gradX">Input gradient [N, C, InHeight, InWidth], accumulated.</param>
    /// <exception cref="ArgumentException">The geometry is invalid.</exception>
    /// <exception cref="ArgumentNullException">A pointer is null.</exception>
    public static void Backward(in Pool2dGeometry g, float* gradY, float* gradX)
    {
        g.Validate();
        PoolingWork.CheckPointer(gradY, nameof(gradY), g.Planes);
        PoolingWork.CheckPointer(gradX, nameof(gradX), g.Planes);
        Pool2dGeometry geo = g;
        Parallelism.For(0, geo.Planes, plane =>
            BackwardPlane(geo, gradY + (long)plane * geo.OutPlane, gradX + (long)plane * geo.InPlane),
            PoolingWork.MinPlanesPerThread((long)geo.OutPlane * geo.KernelHeight * geo.KernelWidth));
    }

    /// <summary>The window [start, end) of output <paramref name="o"/> clipped to the input, and its extent in the padded input.</summary>
    private static (int Start, int End, int Padded) Window(int o, int stride, int pad, int kernel, int input)
    {
        int start = o * stride - pad;
        int end = Math.Min(start + kernel, input + pad);
        int padded = end - start;
        return (Math.Max(start, 0), Math.Min(end, input), padded);
    }

    private static void ForwardPlane(in Pool2dGeometry g, float* x, float* y)
    {
        int inW = g.InWidth, outW = g.OutWidth;
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            (int h0, int h1, int ph) = Window(oh, g.StrideHeight, g.PadHeight, g.KernelHeight, g.InHeight);
            for (int ow = 0; ow < outW; ow++)
            {
                (int w0, int w1, int pw) = Window(ow, g.StrideWidth, g.PadWidth, g.KernelWidth, inW);
                if (h0 >= h1 || w0 >= w1)
                {
                    y[oh * outW + ow] = 0;
                    continue;
                }
                float sum = 0;
                for (int h = h0; h < h1; h++)
                {
                    float* row = x + h * inW;
                    for (int w = w0; w < w1; w++) sum += row[w];
                }
                int divisor = g.CountIncludePad ? ph * pw : (h1 - h0) * (w1 - w0);
                y[oh * outW + ow] = sum / divisor;
            }
        }
    }

    private static void BackwardPlane(in Pool2dGeometry g, float* gradY, float* gradX)
    {
        int inW = g.InWidth, outW = g.OutWidth;
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            (int h0, int h1, int ph) = Window(oh, g.StrideHeight, g.PadHeight, g.KernelHeight, g.InHeight);
            for (int ow = 0; ow < outW; ow++)
            {
                (int w0, int w1, int pw) = Window(ow, g.StrideWidth, g.PadWidth, g.KernelWidth, inW);
                if (h0 >= h1 || w0 >= w1) continue;
                int divisor = g.CountIncludePad ? ph * pw : (h1 - h0) * (w1 - w0);
                float share = gradY[oh * outW + ow] / divisor;
                for (int h = h0; h < h1; h++)
                {
                    float* row = gradX + h * inW;
                    for (int w = w0; w < w1; w++) row[w] += share;
                }
            }
        }
    }
}

namespace TransferKit.Kernels.Pooling;

/// <summary>
/// 2-D max pooling with PyTorch's semantics: padded cells count as -infinity (never selected), ties keep the
/// first maximum in row-major window order, and a NaN in the window wins (PyTorch CPU propagates NaN).
/// Planes (batch x channel) run in parallel.
/// </summary>
public static unsafe class MaxPool2dKernel
{
    /// <summary>Forward pass. Overwrites <paramref name="y"/> and <paramref name="argmax"/>.</summary>
    /// <param name="g">The geometry; validated here.</param>
    /// <param name="x">Input [N, C, InHeight, InWidth].</param>
    /// <param name="y">Output [N, C, OutHeight, OutWidth].</param>
    /// <param name="argmax">Output [N, C, OutHeight, OutWidth]: index h * InWidth + w of each maximum within its input plane.</param>
    /// <exception cref="ArgumentException">The geometry is invalid (see <see cref="Pool2dGeometry.Validate"/>).</exception>
    /// <exception cref="ArgumentNullException">A pointer is null.</exception>
    public static void Forward(in Pool2dGeometry g, float* x, float* y, int* argmax)
    {
        g.Validate();
        PoolingWork.CheckPointer(x, nameof(x), g.Planes);
        PoolingWork.CheckPointer(y, nameof(y), g.Planes);
        PoolingWork.CheckPointer(argmax, nameof(argmax), g.Planes);
        Pool2dGeometry geo = g;
        Parallelism.For(0, geo.Planes, plane =>
        {
            long inOffset = (long)plane * geo.InPlane, outOffset = (long)plane * geo.OutPlane;
            ForwardPlane(geo, x + inOffset, y + outOffset, argmax + outOffset);
        }, PoolingWork.MinPlanesPerThread((long)geo.OutPlane * geo.KernelHeight * geo.KernelWidth));
    }

    /// <summary>Backward pass: gradX[argmax] += gradY, plane by plane. ADDS into <paramref name="gradX"/>.</summary>
    /// <param name="g">The geometry of the forward pass.</param>
    /// <param name="gradY">Output gradient [N, C, OutHeight, OutWidth].</param>
    /// <param name="argmax">Indices from <see cref="Forward"/>.</param>
    /// <param name="gradX">Input gradient [N, C, InHeight, InWidth], accumulated.</param>
    /// <exception cref="ArgumentException">The geometry is invalid.</exception>
    /// <exception cref="ArgumentNullException">A pointer is null.</exception>
    public static void Backward(in Pool2dGeometry g, float* gradY, int* argmax, float* gradX)
    {
        g.Validate();
        PoolingWork.CheckPointer(gradY, nameof(gradY), g.Planes);
        PoolingWork.CheckPointer(argmax, nameof(argmax), g.Planes);
        PoolingWork.CheckPointer(gradX, nameof(gradX), g.Planes);
        ScatterAdd(g.Planes, g.InPlane, g.OutPlane, gradY, argmax, gradX);
    }

    /// <summary>gradX[plane, argmax[plane, o]] += gradY[plane, o]; planes in parallel (indices never leave their plane).</summary>
    internal static void ScatterAdd(int planes, int inPlane, int outPlane, float* gradY, int* argmax, float* gradX)
    {
        Parallelism.For(0, planes, plane =>
        {
            float* gx = gradX + (long)plane * inPlane;
            float* gy = gradY + (long)plane * outPlane;
            int* idx = argmax + (long)plane * outPlane;
            for (int o = 0; o < outPlane; o++) gx[idx[o]] += gy[o];
        }, PoolingWork.MinPlanesPerThread(outPlane));
    }

    private static void ForwardPlane(in Pool2dGeometry g, float* x, float* y, int* argmax)
    {
        int inH = g.InHeight, inW = g.InWidth, outW = g.OutWidth;
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            int h0 = oh * g.StrideHeight - g.PadHeight;
            int h1 = Math.Min(h0 + g.KernelHeight, inH);
            h0 = Math.Max(h0, 0);
            for (int ow = 0; ow < outW; ow++)
            {
                int w0 = ow * g.StrideWidth - g.PadWidth;
                int w1 = Math.Min(w0 + g.KernelWidth, inW);
                w0 = Math.Max(w0, 0);
                // Validate() guarantees every window holds at least one real cell.
                int best = h0 * inW + w0;
                float max = float.NegativeInfinity;
                for (int h = h0; h < h1; h++)
                {
                    float* row = x + h * inW;
                    for (int w = w0; w < w1; w++)
                    {
                        float v = row[w];
                        if (v > max || float.IsNaN(v))
                        {
                            max = v;
                            best = h * inW + w;
                        }
                    }
                }
                y[oh * outW + ow] = max;
                argmax[oh * outW + ow] = best;
            }
        }
    }
}

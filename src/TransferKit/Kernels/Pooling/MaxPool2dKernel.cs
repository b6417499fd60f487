using System.Runtime.Intrinsics;

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
    public static void Backward(in Pool2dGeometry g, float* gradY, int* argmax, float* gradX) =>
        Backward(g, gradY, argmax, gradX, overwrite: false);

    /// <summary>
    /// As <see cref="Backward(in Pool2dGeometry, float*, int*, float*)"/>, or with <paramref name="overwrite"/> into uninitialised <paramref name="gradX"/>: each
    /// plane is cleared just before its scatter, while it is in cache.
    /// </summary>
    internal static void Backward(in Pool2dGeometry g, float* gradY, int* argmax, float* gradX, bool overwrite)
    {
        g.Validate();
        PoolingWork.CheckPointer(gradY, nameof(gradY), g.Planes);
        PoolingWork.CheckPointer(argmax, nameof(argmax), g.Planes);
        PoolingWork.CheckPointer(gradX, nameof(gradX), g.Planes);
        ScatterAdd(g.Planes, g.InPlane, g.OutPlane, gradY, argmax, gradX, overwrite);
    }

    /// <summary>
    /// gradX[plane, argmax[plane, o]] += gradY[plane, o]; planes in parallel (indices never leave their plane), each
    /// cleared first when <paramref name="clearFirst"/>.
    /// </summary>
    internal static void ScatterAdd(int planes, int inPlane, int outPlane, float* gradY, int* argmax, float* gradX, bool clearFirst = false)
    {
        Parallelism.For(0, planes, plane =>
        {
            float* gx = gradX + (long)plane * inPlane;
            if (clearFirst) new Span<float>(gx, inPlane).Clear();
            float* gy = gradY + (long)plane * outPlane;
            int* idx = argmax + (long)plane * outPlane;
            for (int o = 0; o < outPlane; o++) gx[idx[o]] += gy[o];
        }, PoolingWork.MinPlanesPerThread(outPlane));
    }

    private static void ForwardPlane(in Pool2dGeometry g, float* x, float* y, int* argmax)
    {
        int inH = g.InHeight, inW = g.InWidth, outW = g.OutWidth, sW = g.StrideWidth, pW = g.PadWidth, kW = g.KernelWidth;
        // Output columns whose whole window lies inside the row need no clipping; with stride 1 or 2 they run
        // eight at a time. Random-looking data makes the scalar compare-and-take branch mispredict often.
        bool vector = Vector256.IsHardwareAccelerated && sW <= 2;
        int interiorStart = (pW + sW - 1) / sW;
        int interiorEnd = inW - kW + pW < 0 ? 0 : Math.Min(outW, (inW - kW + pW) / sW + 1);
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            int h0 = oh * g.StrideHeight - g.PadHeight;
            int h1 = Math.Min(h0 + g.KernelHeight, inH);
            h0 = Math.Max(h0, 0);
            float* yRow = y + oh * outW;
            int* aRow = argmax + oh * outW;
            int ow = 0;
            if (vector)
            {
                for (; ow < interiorStart && ow < outW; ow++) ScalarWindow(g, x, h0, h1, ow, yRow, aRow);
                for (; ow + Vector256<float>.Count <= interiorEnd; ow += Vector256<float>.Count)
                    VectorWindows(x, inW, h0, h1, ow * sW - pW, sW, kW, yRow + ow, aRow + ow);
            }
            for (; ow < outW; ow++) ScalarWindow(g, x, h0, h1, ow, yRow, aRow);
        }
    }

    /// <summary>One output: rows [h0, h1) of window <paramref name="ow"/>, clipped to the input.</summary>
    private static void ScalarWindow(in Pool2dGeometry g, float* x, int h0, int h1, int ow, float* yRow, int* aRow)
    {
        int inW = g.InWidth;
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
        yRow[ow] = max;
        aRow[ow] = best;
    }

    /// <summary>
    /// Eight adjacent outputs whose windows start at columns <paramref name="col0"/> + lane * stride (stride 1 or 2)
    /// and lie inside the row; same taps in the same order as <see cref="ScalarWindow"/>, so the same ties win.
    /// </summary>
    private static void VectorWindows(float* x, int inW, int h0, int h1, int col0, int stride, int kW, float* yOut, int* aOut)
    {
        Vector256<int> lane = stride == 1 ? Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) : Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        Vector256<float> max = Vector256.Create(float.NegativeInfinity);
        Vector256<int> best = Vector256.Create(h0 * inW + col0) + lane;
        for (int h = h0; h < h1; h++)
        {
            float* row = x + h * inW;
            for (int kw = 0; kw < kW; kw++)
            {
                int col = col0 + kw;
                Vector256<float> v = stride == 1 ? Vector256.Load(row + col) : EvenLanes(row + col);
                Vector256<float> take = Vector256.GreaterThan(v, max) | ~Vector256.Equals(v, v);
                max = Vector256.ConditionalSelect(take, v, max);
                best = Vector256.ConditionalSelect(take.AsInt32(), Vector256.Create(h * inW + col) + lane, best);
            }
        }
        max.Store(yOut);
        best.Store(aOut);
    }

    /// <summary>p[0], p[2], ..., p[14], reading no further than p[14].</summary>
    private static Vector256<float> EvenLanes(float* p)
    {
        Vector256<float> low = Vector256.Shuffle(Vector256.Load(p), Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6));
        Vector256<float> high = Vector256.Shuffle(Vector256.Load(p + 7), Vector256.Create(1, 3, 5, 7, 1, 3, 5, 7));
        return Vector256.Create(low.GetLower(), high.GetLower());
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
        PoolingWork.CheckPointer(argmax, nameof(argmax), g.Planes);
        Forward<TrackWinners>(g, x, y, argmax);
    }

    /// <summary>
    /// Forward pass without the winners' indices, for inference (nothing will run backward): the same values as
    /// <see cref="Forward"/>, bit for bit. Overwrites <paramref name="y"/>.
    /// </summary>
    /// <param name="g">The geometry; validated here.</param>
    /// <param name="x">Input [N, C, InHeight, InWidth].</param>
    /// <param name="y">Output [N, C, OutHeight, OutWidth].</param>
    /// <exception cref="ArgumentException">The geometry is invalid (see <see cref="Pool2dGeometry.Validate"/>).</exception>
    /// <exception cref="ArgumentNullException">A pointer is null.</exception>
    public static void ForwardValues(in Pool2dGeometry g, float* x, float* y) => Forward<ValuesOnly>(g, x, y, null);

    private static void Forward<TWinners>(in Pool2dGeometry g, float* x, float* y, int* argmax) where TWinners : struct, IWinnerIndices
    {
        g.Validate();
        PoolingWork.CheckPointer(x, nameof(x), g.Planes);
        PoolingWork.CheckPointer(y, nameof(y), g.Planes);
        Pool2dGeometry geo = g;
        Parallelism.For(0, geo.Planes, plane =>
        {
            long inOffset = (long)plane * geo.InPlane, outOffset = (long)plane * geo.OutPlane;
            ForwardPlane<TWinners>(geo, x + inOffset, y + outOffset, TWinners.Tracks ? argmax + outOffset : null);
        }, PoolingWork.MinPlanesPerThread((long)geo.OutPlane * geo.KernelHeight * geo.KernelWidth));
    }

    /// <summary>
    /// Planes [0, <paramref name="planes"/>) of <paramref name="g"/> pooled on the calling thread, values only, as
    /// <see cref="ForwardValues"/> pools them: for a convolution that pools each tile of channels as it finishes it.
    /// </summary>
    internal static void ForwardValuesSerial(in Pool2dGeometry g, float* x, float* y, int planes)
    {
        for (int p = 0; p < planes; p++) ForwardPlane<ValuesOnly>(g, x + (long)p * g.InPlane, y + (long)p * g.OutPlane, null);
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

    private static void ForwardPlane<TWinners>(in Pool2dGeometry g, float* x, float* y, int* argmax) where TWinners : struct, IWinnerIndices
    {
        int inH = g.InHeight, inW = g.InWidth, outW = g.OutWidth, sW = g.StrideWidth, pW = g.PadWidth, kW = g.KernelWidth;
        // Output columns whose whole window lies inside the row need no clipping; with stride 1 or 2 they run sixteen
        // or eight at a time, the last group shifted left to end at the interior's end (it recomputes a few outputs,
        // with the same result), so only the clipped edge columns run one by one. Random-looking data makes the scalar
        // compare-and-take branch mispredict often.
        bool wide = Avx512F.IsSupported && Vector512.IsHardwareAccelerated && sW <= 2, narrow = Vector256.IsHardwareAccelerated && sW <= 2;
        int interiorStart = (pW + sW - 1) / sW;
        int interiorEnd = inW - kW + pW < 0 ? 0 : Math.Min(outW, (inW - kW + pW) / sW + 1);
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            int h0 = oh * g.StrideHeight - g.PadHeight;
            int h1 = Math.Min(h0 + g.KernelHeight, inH);
            h0 = Math.Max(h0, 0);
            float* yRow = y + oh * outW;
            int* aRow = TWinners.Tracks ? argmax + oh * outW : null;
            int ow = 0;
            for (; ow < interiorStart && ow < outW; ow++) ScalarWindow<TWinners>(g, x, h0, h1, ow, yRow, aRow);
            if (wide && interiorEnd - ow >= Vector512<float>.Count)
            {
                for (; ow < interiorEnd; ow += Vector512<float>.Count)
                {
                    int at = Math.Min(ow, interiorEnd - Vector512<float>.Count);
                    Windows512<TWinners>(x, inW, h0, h1, at * sW - pW, sW, kW, yRow + at, TWinners.Tracks ? aRow + at : null);
                }
                ow = interiorEnd;
            }
            else if (narrow && interiorEnd - ow >= Vector256<float>.Count)
            {
                for (; ow < interiorEnd; ow += Vector256<float>.Count)
                {
                    int at = Math.Min(ow, interiorEnd - Vector256<float>.Count);
                    Windows256<TWinners>(x, inW, h0, h1, at * sW - pW, sW, kW, yRow + at, TWinners.Tracks ? aRow + at : null);
                }
                ow = interiorEnd;
            }
            for (; ow < outW; ow++) ScalarWindow<TWinners>(g, x, h0, h1, ow, yRow, aRow);
        }
    }

    /// <summary>One output: rows [h0, h1) of window <paramref name="ow"/>, clipped to the input.</summary>
    private static void ScalarWindow<TWinners>(in Pool2dGeometry g, float* x, int h0, int h1, int ow, float* yRow, int* aRow)
        where TWinners : struct, IWinnerIndices
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
        if (TWinners.Tracks) aRow[ow] = best;
    }

    /// <summary>
    /// Sixteen adjacent outputs whose windows start at columns <paramref name="col0"/> + lane * stride (stride 1 or 2)
    /// and lie inside the row; same taps in the same order as <see cref="ScalarWindow{TWinners}"/>, so the same ties win.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Windows512<TWinners>(float* x, int inW, int h0, int h1, int col0, int stride, int kW, float* yOut, int* aOut)
        where TWinners : struct, IWinnerIndices
    {
        Vector512<int> lane = stride == 1 ? Vector512<int>.Indices : Vector512<int>.Indices * 2;
        Vector512<float> max = Vector512.Create(float.NegativeInfinity);
        Vector512<int> best = Vector512.Create(h0 * inW + col0) + lane;
        for (int h = h0; h < h1; h++)
        {
            float* row = x + h * inW;
            for (int kw = 0; kw < kW; kw++)
            {
                int col = col0 + kw;
                Vector512<float> v = stride == 1 ? Vector512.Load(row + col) : EvenLanes512(row + col);
                Vector512<float> take = Vector512.GreaterThan(v, max) | ~Vector512.Equals(v, v);
                max = Vector512.ConditionalSelect(take, v, max);
                if (TWinners.Tracks) best = Vector512.ConditionalSelect(take.AsInt32(), Vector512.Create(h * inW + col) + lane, best);
            }
        }
        max.Store(yOut);
        if (TWinners.Tracks) best.Store(aOut);
    }

    /// <summary>As <see cref="Windows512{TWinners}"/> for eight outputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Windows256<TWinners>(float* x, int inW, int h0, int h1, int col0, int stride, int kW, float* yOut, int* aOut)
        where TWinners : struct, IWinnerIndices
    {
        Vector256<int> lane = stride == 1 ? Vector256<int>.Indices : Vector256<int>.Indices * 2;
        Vector256<float> max = Vector256.Create(float.NegativeInfinity);
        Vector256<int> best = Vector256.Create(h0 * inW + col0) + lane;
        for (int h = h0; h < h1; h++)
        {
            float* row = x + h * inW;
            for (int kw = 0; kw < kW; kw++)
            {
                int col = col0 + kw;
                Vector256<float> v = stride == 1 ? Vector256.Load(row + col) : EvenLanes256(row + col);
                Vector256<float> take = Vector256.GreaterThan(v, max) | ~Vector256.Equals(v, v);
                max = Vector256.ConditionalSelect(take, v, max);
                if (TWinners.Tracks) best = Vector256.ConditionalSelect(take.AsInt32(), Vector256.Create(h * inW + col) + lane, best);
            }
        }
        max.Store(yOut);
        if (TWinners.Tracks) best.Store(aOut);
    }

    /// <summary>p[0], p[2], ..., p[30], reading no further than p[30].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> EvenLanes512(float* p) =>
        Avx512F.PermuteVar16x32x2(Vector512.Load(p), Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 17, 19, 21, 23, 25, 27, 29, 31), Vector512.Load(p + 15));

    /// <summary>p[0], p[2], ..., p[14], reading no further than p[14].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> EvenLanes256(float* p)
    {
        Vector256<float> low = Vector256.Shuffle(Vector256.Load(p), Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6));
        Vector256<float> high = Vector256.Shuffle(Vector256.Load(p + 7), Vector256.Create(1, 3, 5, 7, 1, 3, 5, 7));
        return Vector256.Create(low.GetLower(), high.GetLower());
    }

    /// <summary>Whether a forward pass writes each window's winning index as well as its value.</summary>
    private interface IWinnerIndices
    {
        static abstract bool Tracks { get; }
    }

    /// <summary>Training: the indices the backward pass scatters through.</summary>
    private readonly struct TrackWinners : IWinnerIndices
    {
        public static bool Tracks => true;
    }

    /// <summary>Inference: values only.</summary>
    private readonly struct ValuesOnly : IWinnerIndices
    {
        public static bool Tracks => false;
    }
}

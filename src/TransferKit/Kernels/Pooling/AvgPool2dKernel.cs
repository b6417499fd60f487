using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Activations;

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
        int minPlanes = PoolingWork.MinPlanesPerThread((long)geo.OutPlane * geo.KernelHeight * geo.KernelWidth);
        if (geo.StrideHeight == 1 && geo.StrideWidth == 1 && Vector512.IsHardwareAccelerated)
        {
            int workers = Math.Clamp(geo.Planes / Math.Max(1, minPlanes), 1, Parallelism.ThreadsHere);
            Parallelism.ForChunks(0, geo.Planes, workers, (start, end) =>
            {
                using var rowSums = new ScratchBuffer(geo.InHeight * geo.OutWidth);
                using var padded = new ScratchBuffer(geo.InWidth + 2 * geo.PadWidth);
                using var columns = new ScratchBuffer(geo.OutWidth);
                padded.Span.Clear();
                ColumnCounts(geo, columns.Pointer);
                for (int plane = start; plane < end; plane++)
                    ForwardPlaneStride1(geo, x + (long)plane * geo.InPlane, y + (long)plane * geo.OutPlane, rowSums.Pointer, padded.Pointer, columns.Pointer);
            });
            return;
        }
        if (IsHalving(geo) && (Avx512F.IsSupported || Avx2.IsSupported))
        {
            Parallelism.For(0, geo.Planes, plane =>
                ForwardHalvingPlane(geo, x + (long)plane * geo.InPlane, y + (long)plane * geo.OutPlane, null, 0f, 0f, 0f), minPlanes);
            return;
        }
        Parallelism.For(0, geo.Planes, plane =>
            ForwardPlane(geo, x + (long)plane * geo.InPlane, y + (long)plane * geo.OutPlane), minPlanes);
    }

    /// <summary>
    /// Whether <paramref name="g"/> is a 2x2 window at stride 2 without padding whose windows all lie whole in the input
    /// (floor mode, or even sides): every output the mean of four cells, the DenseNet transitions' pool.
    /// </summary>
    internal static bool IsHalving(in Pool2dGeometry g) =>
        g.KernelHeight == 2 && g.KernelWidth == 2 && g.StrideHeight == 2 && g.StrideWidth == 2 && g.PadHeight == 0 && g.PadWidth == 0
        && (!g.CeilMode || (g.InHeight % 2 == 0 && g.InWidth % 2 == 0));

    /// <summary>
    /// y = avgpool(max((x - mean[c]) * scale[c] + shift[c], 0)) for a 2x2, stride-2 pool (<see cref="IsHalving"/>): the
    /// inference batch norm and ReLU applied to each cell as the pool reads it, so that their output (four times the
    /// pool's) is never written out and read back. The values are <see cref="Normalization.BatchNormKernel.ForwardInferenceRelu"/>
    /// followed by <see cref="Forward"/>, bit for bit.
    /// </summary>
    /// <param name="g">A halving geometry.</param>
    /// <param name="x">Input [N, C, InHeight, InWidth].</param>
    /// <param name="mean">[C] subtracted from each channel.</param>
    /// <param name="scale">[C] multiplying it.</param>
    /// <param name="shift">[C] added after.</param>
    /// <param name="y">Output [N, C, OutHeight, OutWidth].</param>
    /// <exception cref="ArgumentException">The geometry is invalid or not a halving one.</exception>
    /// <exception cref="ArgumentNullException">A pointer is null.</exception>
    internal static void ForwardOfBatchNormRelu(in Pool2dGeometry g, float* x, float* mean, float* scale, float* shift, float* y)
    {
        g.Validate();
        if (!IsHalving(g)) throw new ArgumentException($"{g} is not a 2x2 pool at stride 2 without padding.", nameof(g));
        PoolingWork.CheckPointer(x, nameof(x), g.Planes);
        PoolingWork.CheckPointer(y, nameof(y), g.Planes);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(scale);
        ArgumentNullException.ThrowIfNull(shift);
        Pool2dGeometry geo = g;
        Parallelism.For(0, geo.Planes, plane =>
        {
            int c = plane % geo.Channels;
            ForwardHalvingPlane(geo, x + (long)plane * geo.InPlane, y + (long)plane * geo.OutPlane, mean, mean[c], scale[c], shift[c]);
        }, PoolingWork.MinPlanesPerThread((long)geo.OutPlane * 4));
    }

    /// <summary>
    /// One plane of a halving pool, each cell first through max((x - mean) * scale + shift, 0) where
    /// <paramref name="normalizes"/> is not null: the four cells summed in the order <see cref="ForwardPlane"/> sums
    /// them, then divided by 4 (a multiply by 0.25, exact either way), so the values agree with it bit for bit.
    /// </summary>
    private static void ForwardHalvingPlane(in Pool2dGeometry g, float* x, float* y, float* normalizes, float mean, float scale, float shift)
    {
        int inW = g.InWidth, outW = g.OutWidth;
        bool normalize = normalizes != null;
        var evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var odds = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
        Vector512<float> m = Vector512.Create(mean), s = Vector512.Create(scale), t = Vector512.Create(shift), quarter = Vector512.Create(0.25f);
        Vector256<float> m8 = Vector256.Create(mean), s8 = Vector256.Create(scale), t8 = Vector256.Create(shift), quarter8 = Vector256.Create(0.25f);
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            float* top = x + (long)2 * oh * inW, bottom = top + inW, output = y + (long)oh * outW;
            int ow = 0;
            // Whole steps read 32 cells of each row, all inside it.
            for (; Avx512F.IsSupported && 2 * ow + 32 <= inW && ow + 16 <= outW; ow += 16)
            {
                Vector512<float> a = Vector512.Load(top + 2 * ow), b = Vector512.Load(top + 2 * ow + 16);
                Vector512<float> c = Vector512.Load(bottom + 2 * ow), d = Vector512.Load(bottom + 2 * ow + 16);
                if (normalize)
                {
                    a = Rectifier.Max0((a - m) * s + t);
                    b = Rectifier.Max0((b - m) * s + t);
                    c = Rectifier.Max0((c - m) * s + t);
                    d = Rectifier.Max0((d - m) * s + t);
                }
                var sum = Avx512F.PermuteVar16x32x2(a, evens, b) + Avx512F.PermuteVar16x32x2(a, odds, b);
                sum += Avx512F.PermuteVar16x32x2(c, evens, d);
                sum += Avx512F.PermuteVar16x32x2(c, odds, d);
                (sum * quarter).Store(output + ow);
            }
            // AVX2: 16 cells of each row; the in-lane shuffles leave the 64-bit pairs in the order 0, 2, 1, 3.
            for (; Avx2.IsSupported && 2 * ow + 16 <= inW && ow + 8 <= outW; ow += 8)
            {
                Vector256<float> a = Vector256.Load(top + 2 * ow), b = Vector256.Load(top + 2 * ow + 8);
                Vector256<float> c = Vector256.Load(bottom + 2 * ow), d = Vector256.Load(bottom + 2 * ow + 8);
                if (normalize)
                {
                    a = Rectifier.Max0((a - m8) * s8 + t8);
                    b = Rectifier.Max0((b - m8) * s8 + t8);
                    c = Rectifier.Max0((c - m8) * s8 + t8);
                    d = Rectifier.Max0((d - m8) * s8 + t8);
                }
                var sum = Avx.Shuffle(a, b, 0b10_00_10_00) + Avx.Shuffle(a, b, 0b11_01_11_01);
                sum += Avx.Shuffle(c, d, 0b10_00_10_00);
                sum += Avx.Shuffle(c, d, 0b11_01_11_01);
                sum = Avx2.Permute4x64(sum.AsDouble(), 0b11_01_10_00).AsSingle();
                (sum * quarter8).Store(output + ow);
            }
            for (; ow < outW; ow++)
            {
                float a = top[2 * ow], b = top[2 * ow + 1], c = bottom[2 * ow], d = bottom[2 * ow + 1];
                if (normalize)
                {
                    a = Math.Max((a - mean) * scale + shift, 0f);
                    b = Math.Max((b - mean) * scale + shift, 0f);
                    c = Math.Max((c - mean) * scale + shift, 0f);
                    d = Math.Max((d - mean) * scale + shift, 0f);
                }
                output[ow] = (a + b + c + d) / 4;
            }
        }
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

    /// <summary>
    /// Per output column, how many of its window's columns count: the window's width in the padded input with
    /// <see cref="Pool2dGeometry.CountIncludePad"/>, its real columns otherwise.
    /// </summary>
    private static void ColumnCounts(in Pool2dGeometry g, float* counts)
    {
        for (int ow = 0; ow < g.OutWidth; ow++)
        {
            (int w0, int w1, int pw) = Window(ow, 1, g.PadWidth, g.KernelWidth, g.InWidth);
            counts[ow] = g.CountIncludePad ? pw : w1 - w0;
        }
    }

    /// <summary>
    /// One plane at stride 1, in vectors: every input row's sums over KernelWidth columns (of a zero-padded copy of
    /// the row), then every output row as the sum of its KernelHeight row sums divided by its window's count. The
    /// window-by-window scalar loop made Inception-v3's 3x3 pooling branches 9% of its forward pass.
    /// </summary>
    /// <param name="g">The geometry; stride 1 both ways.</param>
    /// <param name="x">The input plane [InHeight, InWidth].</param>
    /// <param name="y">The output plane [OutHeight, OutWidth].</param>
    /// <param name="rowSums">[InHeight, OutWidth] scratch.</param>
    /// <param name="padded">[InWidth + 2 PadWidth] scratch whose padding columns are zero.</param>
    /// <param name="columns">[OutWidth] counts from <see cref="ColumnCounts"/>.</param>
    private static void ForwardPlaneStride1(in Pool2dGeometry g, float* x, float* y, float* rowSums, float* padded, float* columns)
    {
        int inW = g.InWidth, outW = g.OutWidth, kh = g.KernelHeight, kw = g.KernelWidth;
        for (int h = 0; h < g.InHeight; h++)
        {
            new ReadOnlySpan<float>(x + h * inW, inW).CopyTo(new Span<float>(padded + g.PadWidth, inW));
            float* sums = rowSums + h * outW;
            int ow = 0;
            for (; ow <= outW - 16; ow += 16)
            {
                var acc = Vector512.Load(padded + ow);
                for (int j = 1; j < kw; j++) acc += Vector512.Load(padded + ow + j);
                acc.Store(sums + ow);
            }
            for (; ow < outW; ow++)
            {
                float acc = padded[ow];
                for (int j = 1; j < kw; j++) acc += padded[ow + j];
                sums[ow] = acc;
            }
        }
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            (int h0, int h1, int ph) = Window(oh, 1, g.PadHeight, kh, g.InHeight);
            float rows = g.CountIncludePad ? ph : h1 - h0;
            float* dst = y + oh * outW;
            if (h0 >= h1)
            {
                new Span<float>(dst, outW).Clear();
                continue;
            }
            int ow = 0;
            for (; ow <= outW - 16; ow += 16)
            {
                var acc = Vector512.Load(rowSums + h0 * outW + ow);
                for (int h = h0 + 1; h < h1; h++) acc += Vector512.Load(rowSums + h * outW + ow);
                (acc / (Vector512.Load(columns + ow) * rows)).Store(dst + ow);
            }
            for (; ow < outW; ow++)
            {
                float acc = rowSums[h0 * outW + ow];
                for (int h = h0 + 1; h < h1; h++) acc += rowSums[h * outW + ow];
                dst[ow] = acc / (columns[ow] * rows);
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

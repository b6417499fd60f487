using System.Runtime.Intrinsics;

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
        Parallelism.For(0, geo.Planes, plane =>
            ForwardPlane(geo, x + (long)plane * geo.InPlane, y + (long)plane * geo.OutPlane), minPlanes);
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

using System.Numerics.Tensors;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// Direct depthwise convolution (Groups == InChannels, OutChannels = multiplier * InChannels): output channel c reads
/// only input channel c / multiplier, so im2col would build a matrix with one row per tap for a GEMM of height
/// <c>multiplier</c>. Instead every (kernel tap, output row) pair is one vector multiply-add over the output row,
/// contiguous when the horizontal stride is 1. Each parallel item owns what it writes: output planes (forward),
/// input planes (backward data) or one channel's taps (backward weight), so there are no races.
/// </summary>
internal static unsafe class DepthwiseConv2d
{
    /// <summary>Multiply-adds per thread below which splitting costs more than it saves.</summary>
    private const int MinWorkPerThread = 32768;

    /// <summary>output = depthwise conv(input, weight) + bias; see <see cref="Conv2dKernel.Forward"/>.</summary>
    public static void Forward(in Conv2dGeometry g, float* input, float* weight, float* bias, float* output)
    {
        var t = new Taps(g);
        var geo = g;
        int multiplier = g.OutChannels / g.InChannels;
        Parallelism.For(0, g.Batch * g.OutChannels, item =>
        {
            int n = item / geo.OutChannels, co = item % geo.OutChannels;
            float* x = input + ((long)n * geo.InChannels + co / multiplier) * t.PlaneIn;
            float* y = output + (long)item * t.PlaneOut;
            float* w = weight + (long)co * t.Count;
            new Span<float>(y, t.PlaneOut).Fill(bias == null ? 0f : bias[co]);
            for (int oh = 0; oh < geo.OutHeight; oh++)
            {
                float* yRow = y + (long)oh * geo.OutWidth;
                for (int kh = 0; kh < geo.KernelHeight; kh++)
                {
                    if (oh < t.HLo[kh] || oh >= t.HHi[kh]) continue;
                    float* xRow = x + (long)(oh * geo.StrideHeight + t.OffH[kh]) * geo.InWidth;
                    for (int kw = 0; kw < geo.KernelWidth; kw++)
                    {
                        int lo = t.WLo[kw], len = t.WHi[kw] - lo;
                        if (len == 0) continue;
                        float wv = w[kh * geo.KernelWidth + kw];
                        float* xs = xRow + t.OffW[kw];
                        if (geo.StrideWidth == 1)
                        {
                            var dst = new Span<float>(yRow + lo, len);
                            TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(xs + lo, len), wv, dst, dst);
                        }
                        else
                        {
                            int sw = geo.StrideWidth;
                            for (int ow = lo; ow < lo + len; ow++) yRow[ow] += wv * xs[ow * sw];
                        }
                    }
                }
            }
        }, MinPerThread(t.PlaneOut * t.Count));
    }

    /// <summary>gradInput += d(loss)/d(input); see <see cref="Conv2dKernel.BackwardData"/>.</summary>
    public static void BackwardData(in Conv2dGeometry g, float* gradOutput, float* weight, float* gradInput)
    {
        var t = new Taps(g);
        var geo = g;
        int multiplier = g.OutChannels / g.InChannels;
        Parallelism.For(0, g.Batch * g.InChannels, item =>
        {
            int n = item / geo.InChannels, ci = item % geo.InChannels;
            float* dx = gradInput + (long)item * t.PlaneIn;
            for (int m = 0; m < multiplier; m++)
            {
                int co = ci * multiplier + m;
                float* dy = gradOutput + ((long)n * geo.OutChannels + co) * t.PlaneOut;
                float* w = weight + (long)co * t.Count;
                for (int oh = 0; oh < geo.OutHeight; oh++)
                {
                    float* dyRow = dy + (long)oh * geo.OutWidth;
                    for (int kh = 0; kh < geo.KernelHeight; kh++)
                    {
                        if (oh < t.HLo[kh] || oh >= t.HHi[kh]) continue;
                        float* dxRow = dx + (long)(oh * geo.StrideHeight + t.OffH[kh]) * geo.InWidth;
                        for (int kw = 0; kw < geo.KernelWidth; kw++)
                        {
                            int lo = t.WLo[kw], len = t.WHi[kw] - lo;
                            if (len == 0) continue;
                            float wv = w[kh * geo.KernelWidth + kw];
                            float* dxs = dxRow + t.OffW[kw];
                            if (geo.StrideWidth == 1)
                            {
                                var dst = new Span<float>(dxs + lo, len);
                                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(dyRow + lo, len), wv, dst, dst);
                            }
                            else
                            {
                                int sw = geo.StrideWidth;
                                for (int ow = lo; ow < lo + len; ow++) dxs[ow * sw] += wv * dyRow[ow];
                            }
                        }
                    }
                }
            }
        }, MinPerThread(multiplier * t.PlaneOut * t.Count));
    }

    /// <summary>gradWeight += d(loss)/d(weight), parallel over output channels; see <see cref="Conv2dKernel.BackwardWeight"/>.</summary>
    public static void BackwardWeight(in Conv2dGeometry g, float* input, float* gradOutput, float* gradWeight)
    {
        var t = new Taps(g);
        var geo = g;
        int multiplier = g.OutChannels / g.InChannels;
        Parallelism.For(0, g.OutChannels, co =>
        {
            Span<double> acc = stackalloc double[t.Count];
            acc.Clear();
            for (int n = 0; n < geo.Batch; n++)
            {
                float* x = input + ((long)n * geo.InChannels + co / multiplier) * t.PlaneIn;
                float* dy = gradOutput + ((long)n * geo.OutChannels + co) * t.PlaneOut;
                for (int oh = 0; oh < geo.OutHeight; oh++)
                {
                    float* dyRow = dy + (long)oh * geo.OutWidth;
                    for (int kh = 0; kh < geo.KernelHeight; kh++)
                    {
                        if (oh < t.HLo[kh] || oh >= t.HHi[kh]) continue;
                        float* xRow = x + (long)(oh * geo.StrideHeight + t.OffH[kh]) * geo.InWidth;
                        for (int kw = 0; kw < geo.KernelWidth; kw++)
                        {
                            int lo = t.WLo[kw], len = t.WHi[kw] - lo;
                            if (len == 0) continue;
                            float* xs = xRow + t.OffW[kw];
                            float sum;
                            if (geo.StrideWidth == 1)
                            {
                                sum = TensorPrimitives.Dot(new ReadOnlySpan<float>(dyRow + lo, len), new ReadOnlySpan<float>(xs + lo, len));
                            }
                            else
                            {
                                int sw = geo.StrideWidth;
                                sum = 0;
                                for (int ow = lo; ow < lo + len; ow++) sum += dyRow[ow] * xs[ow * sw];
                            }
                            acc[kh * geo.KernelWidth + kw] += sum;
                        }
                    }
                }
            }
            float* dw = gradWeight + (long)co * t.Count;
            for (int i = 0; i < t.Count; i++) dw[i] += (float)acc[i];
        }, MinPerThread(geo.Batch * t.PlaneOut * t.Count));
    }

    private static int MinPerThread(int workPerItem) => Math.Max(1, MinWorkPerThread / Math.Max(1, workPerItem));

    /// <summary>Per kernel row and column: the input offset of the tap and the output range whose tap is inside the input.</summary>
    private sealed class Taps
    {
        public Taps(in Conv2dGeometry g)
        {
            Count = g.KernelHeight * g.KernelWidth;
            PlaneIn = (long)g.InHeight * g.InWidth;
            PlaneOut = g.OutHeight * g.OutWidth;
            OffH = new int[g.KernelHeight];
            HLo = new int[g.KernelHeight];
            HHi = new int[g.KernelHeight];
            for (int kh = 0; kh < g.KernelHeight; kh++)
            {
                OffH[kh] = kh * g.DilationHeight - g.PadHeight;
                (HLo[kh], HHi[kh]) = Im2Col.ValidRange(OffH[kh], g.StrideHeight, g.InHeight, g.OutHeight);
            }
            OffW = new int[g.KernelWidth];
            WLo = new int[g.KernelWidth];
            WHi = new int[g.KernelWidth];
            for (int kw = 0; kw < g.KernelWidth; kw++)
            {
                OffW[kw] = kw * g.DilationWidth - g.PadWidth;
                (WLo[kw], WHi[kw]) = Im2Col.ValidRange(OffW[kw], g.StrideWidth, g.InWidth, g.OutWidth);
            }
        }

        public int Count { get; }
        public long PlaneIn { get; }
        public int PlaneOut { get; }
        public int[] OffH { get; }
        public int[] HLo { get; }
        public int[] HHi { get; }
        public int[] OffW { get; }
        public int[] WLo { get; }
        public int[] WHi { get; }
    }
}

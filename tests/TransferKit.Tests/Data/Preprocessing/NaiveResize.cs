using TransferKit.Models;

namespace TransferKit.Tests.Data.Preprocessing;

/// <summary>
/// The test oracle for the fast resampler: Pillow's two-pass 8-bit resize written as plainly as possible, on whole
/// images (no windows, no SIMD, no shared code with the library). HWC RGB bytes in and out.
/// </summary>
internal static class NaiveResize
{
    public static byte[] Resize(byte[] src, int width, int height, int outWidth, int outHeight, ResizeInterpolation filter)
    {
        byte[] current = src;
        int w = width;
        if (outWidth != width)
        {
            current = Pass(current, w, height, outWidth, filter, horizontal: true);
            w = outWidth;
        }

        if (outHeight != height) current = Pass(current, w, height, outHeight, filter, horizontal: false);
        return current == src ? (byte[])src.Clone() : current;
    }

    private static byte[] Pass(byte[] src, int width, int height, int outSize, ResizeInterpolation filter, bool horizontal)
    {
        int inSize = horizontal ? width : height;
        int outWidth = horizontal ? outSize : width, outHeight = horizontal ? height : outSize;
        var dst = new byte[outWidth * outHeight * 3];
        for (int o = 0; o < outSize; o++)
        {
            (int first, int[] weights) = Taps(inSize, outSize, o, filter);
            int other = horizontal ? height : width;
            for (int j = 0; j < other; j++)
            {
                for (int c = 0; c < 3; c++)
                {
                    int sum = 1 << 21;
                    for (int t = 0; t < weights.Length; t++)
                    {
                        int s = first + t;
                        int index = horizontal ? ((j * width) + s) * 3 : ((s * width) + j) * 3;
                        sum += src[index + c] * weights[t];
                    }

                    int v = Math.Clamp(sum >> 22, 0, 255);
                    int outIndex = horizontal ? ((j * outWidth) + o) * 3 : ((o * outWidth) + j) * 3;
                    dst[outIndex + c] = (byte)v;
                }
            }
        }

        return dst;
    }

    private static (int First, int[] Weights) Taps(int inSize, int outSize, int o, ResizeInterpolation filter)
    {
        double scale = (double)inSize / outSize;
        double stretch = scale < 1 ? 1 : scale;
        double support = (filter == ResizeInterpolation.Bilinear ? 1.0 : 2.0) * stretch;
        double center = (o + 0.5) * scale;
        int first = (int)(center - support + 0.5);
        if (first < 0) first = 0;
        int last = (int)(center + support + 0.5);
        if (last > inSize) last = inSize;
        var w = new double[last - first];
        double total = 0;
        for (int t = 0; t < w.Length; t++)
        {
            w[t] = Kernel(filter, (first + t - center + 0.5) * (1.0 / stretch));   // Pillow multiplies by the reciprocal
            total += w[t];
        }

        var fixedPoint = new int[w.Length];
        for (int t = 0; t < w.Length; t++)
        {
            double v = w[t] / total * (1 << 22);
            fixedPoint[t] = (int)(w[t] < 0 ? v - 0.5 : v + 0.5);
        }

        return (first, fixedPoint);
    }

    private static double Kernel(ResizeInterpolation filter, double x)
    {
        x = Math.Abs(x);
        if (filter == ResizeInterpolation.Bilinear) return x < 1 ? 1 - x : 0;
        const double a = -0.5;
        if (x < 1) return ((((a + 2) * x) - (a + 3)) * x * x) + 1;
        if (x < 2) return ((((((x - 5) * x) + 8) * x) - 4) * a);
        return 0;
    }
}

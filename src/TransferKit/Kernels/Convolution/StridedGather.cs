using System.Runtime.Intrinsics;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// dst[i] = src[i * stride]: the horizontal gather of a strided convolution's im2col rows and phase splits.
/// Stride 2 (ResNet and MobileNet downsampling, the 7x7 stem) has a vector path: two loads, two in-register
/// permutes that pick the even lanes, one store per 8 outputs; the stem's im2col was a quarter of its forward time
/// with the scalar loop.
/// </summary>
internal static unsafe class StridedGather
{
    public static void Copy(float* src, int stride, float* dst, int count)
    {
        int i = 0;
        if (stride == 2 && Vector256.IsHardwareAccelerated)
        {
            var evens = Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6);
            // Each step reads src[2i .. 2i + 15], one past the last element it needs, so stop while that element
            // still belongs to the row: 2i + 15 <= 2 * (count - 1).
            for (; i + 9 <= count; i += 8)
            {
                var a = Vector256.Shuffle(Vector256.Load(src + 2 * i), evens);
                var b = Vector256.Shuffle(Vector256.Load(src + 2 * i + 8), evens);
                Vector256.Create(a.GetLower(), b.GetLower()).Store(dst + i);
            }
        }
        for (; i < count; i++) dst[i] = src[(long)i * stride];
    }
}

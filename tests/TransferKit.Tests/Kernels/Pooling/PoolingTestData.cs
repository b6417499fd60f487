using TransferKit.Kernels.Pooling;

namespace TransferKit.Tests.Kernels.Pooling;

/// <summary>Geometries and inputs shared by the pooling tests.</summary>
internal static class PoolingTestData
{
    /// <summary>
    /// Every valid geometry with kernels 1..3, strides 1..3, padding 0..1 (where legal), ceil on and off, both
    /// count_include_pad settings, and odd input sizes 1..9 (plus width 20, wide enough for the
    /// eight-wide vector path); height and width get different parameters.
    /// </summary>
    public static IEnumerable<Pool2dGeometry> SmallGeometries()
    {
        for (int kh = 1; kh <= 3; kh++)
            for (int kw = 1; kw <= 3; kw++)
                for (int sh = 1; sh <= 3; sh++)
                    for (int ph = 0; ph <= 1; ph++)
                        foreach (bool ceil in new[] { false, true })
                            for (int h = 1; h <= 9; h++)
                                foreach (int w in new[] { 1, 2, 4, 5, 8, 9, 20 })
                                {
                                    int sw = sh % 3 + 1, pw = 1 - ph;
                                    if (ph > kh / 2 || pw > kw / 2) continue;
                                    var g = new Pool2dGeometry(2, 3, h, w, kh, kw, sh, sw, ph, pw, ceil, CountIncludePad: (h + kw) % 2 == 0);
                                    if (g.OutHeight < 1 || g.OutWidth < 1) continue;
                                    yield return g;
                                }
    }

    /// <summary>The networks' own pools: ResNet's 3x3/2 pad 1 on 112, Inception's 3x3/2 without padding, GoogLeNet's ceil pools.</summary>
    public static IEnumerable<Pool2dGeometry> NetworkGeometries()
    {
        yield return new Pool2dGeometry(1, 3, 112, 112, 3, 3, 2, 2, 1, 1);
        yield return new Pool2dGeometry(2, 2, 147, 147, 3, 3, 2, 2);
        yield return new Pool2dGeometry(2, 4, 35, 35, 3, 3, 2, 2);
        yield return new Pool2dGeometry(1, 3, 56, 56, 3, 3, 2, 2, CeilMode: true);
        yield return new Pool2dGeometry(2, 3, 8, 8, 2, 2, 2, 2);
        yield return new Pool2dGeometry(2, 3, 17, 17, 3, 3, 1, 1, 1, 1, CountIncludePad: false);
        // Stride 1 on rows of several vectors (Inception's pooling branches), and an even kernel whose output is wider than its input.
        yield return new Pool2dGeometry(2, 3, 35, 35, 3, 3, 1, 1, 1, 1);
        yield return new Pool2dGeometry(1, 2, 20, 33, 2, 4, 1, 1, 1, 2, CeilMode: true);
    }

    /// <summary>Values uniform in [-1, 1); distinct with probability ~1 so maxima are unique.</summary>
    public static float[] Uniform(Random rng, int length)
    {
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
        return a;
    }

    public static int InLength(in Pool2dGeometry g) => g.Batch * g.Channels * g.InHeight * g.InWidth;

    public static int OutLength(in Pool2dGeometry g) => g.Batch * g.Channels * g.OutHeight * g.OutWidth;

    /// <summary>sum(a * b) in double.</summary>
    public static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }
}

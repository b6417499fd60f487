namespace TransferKit.Tests.Kernels.Normalization;

/// <summary>Random inputs for batch-norm tests: per-channel offsets and spreads so channels really differ.</summary>
internal static class BatchNormTestData
{
    /// <summary>x[n, c, s] = offset(c) + spread(c) * uniform(-1, 1).</summary>
    public static float[] Input(Random rng, int batch, int channels, int spatial, float offsetScale = 2f)
    {
        var x = new float[batch * channels * spatial];
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < channels; c++)
            {
                float offset = offsetScale * MathF.Sin(c + 1);
                float spread = 0.5f + (c % 5);
                for (int s = 0; s < spatial; s++)
                    x[(n * channels + c) * spatial + s] = offset + spread * Uniform(rng);
            }
        return x;
    }

    /// <summary>Values uniform in [-1, 1).</summary>
    public static float[] Uniform(Random rng, int length)
    {
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = Uniform(rng);
        return a;
    }

    /// <summary>Values uniform in [low, high).</summary>
    public static float[] Uniform(Random rng, int length, float low, float high)
    {
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = low + (high - low) * (float)rng.NextDouble();
        return a;
    }

    private static float Uniform(Random rng) => (float)(rng.NextDouble() * 2 - 1);

    /// <summary>The shapes of the fast-vs-naive sweeps: every batch 1..5 and channels 1..33 for small spatial
    /// sizes, fewer channel counts for the large one. Batch 1 with spatial 1 is excluded (training BN rejects it).</summary>
    public static IEnumerable<(int Batch, int Channels, int Spatial)> Shapes()
    {
        foreach (int spatial in new[] { 1, 7, 64 })
            for (int batch = 1; batch <= 5; batch++)
                for (int channels = 1; channels <= 33; channels++)
                    if (batch * spatial > 1) yield return (batch, channels, spatial);
        for (int batch = 1; batch <= 5; batch++)
            foreach (int channels in new[] { 1, 3, 16, 33 })
                yield return (batch, channels, 4096);
    }
}

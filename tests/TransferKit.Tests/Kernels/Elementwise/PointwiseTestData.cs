using TransferKit.Kernels.Elementwise;

namespace TransferKit.Tests.Kernels.Elementwise;

/// <summary>Random inputs and the vector-width switch shared by the point-wise kernel tests.</summary>
internal static class PointwiseTestData
{
    /// <summary>Every length 0..256 (all remainders of every width) as TensorPrimitives' own tests do.</summary>
    public static IEnumerable<int> SmallLengths => Enumerable.Range(0, 257);

    /// <summary>A large odd length: crosses the parallel threshold and leaves a remainder for every width.</summary>
    public const int LargeLength = 100_003;

    /// <summary>The driver paths to exercise: 512-bit, 256-bit and scalar only.</summary>
    public static TheoryData<int> VectorWidths => new() { 512, 256, 0 };

    public static float[] Uniform(Random rng, int n, float low, float high)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = low + (float)rng.NextDouble() * (high - low);
        return a;
    }

    /// <summary>Runs <paramref name="body"/> with the driver limited to <paramref name="bits"/>-bit vectors.</summary>
    public static void WithVectorWidth(int bits, Action body)
    {
        int saved = PointwiseDriver.MaxVectorBits;
        PointwiseDriver.MaxVectorBits = bits;
        try { body(); }
        finally { PointwiseDriver.MaxVectorBits = saved; }
    }
}

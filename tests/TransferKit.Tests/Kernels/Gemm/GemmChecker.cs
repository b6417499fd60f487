using TransferKit.Kernels.Gemm;

namespace TransferKit.Tests.Kernels.Gemm;

/// <summary>Runs one GEMM case through a provider and through <see cref="NaiveGemm"/>, and compares all of C.</summary>
internal static class GemmChecker
{
    /// <summary>
    /// Builds A, B and C with padded leading dimensions, runs both, and compares the whole C buffer, padding
    /// included, so a provider that writes past a row's n columns fails too (the padding holds NaN sentinels
    /// that both must leave alone).
    /// </summary>
    public static unsafe void Check(IGemmProvider provider, int m, int n, int k, bool transposeA, bool transposeB,
        float alpha, float beta, bool nanInC, int pad)
    {
        int aRows = transposeA ? k : m, aCols = transposeA ? m : k;
        int bRows = transposeB ? n : k, bCols = transposeB ? k : n;
        int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
        var rng = new Random((((m * 131 + n) * 131 + k) * 4 + (transposeA ? 2 : 0) + (transposeB ? 1 : 0)) * 31 + pad);
        float[] a = Filled(rng, aRows * lda);
        float[] b = Filled(rng, bRows * ldb);
        float[] expected = new float[m * ldc];
        for (int i = 0; i < expected.Length; i++)
        {
            bool inside = i % ldc < n;
            expected[i] = !inside ? float.NaN : nanInC ? float.NaN : rng.NextSingle() * 2 - 1;
        }
        float[] actual = (float[])expected.Clone();
        fixed (float* pa = a, pb = b, pe = expected, pc = actual)
        {
            new NaiveGemm().Sgemm(transposeA, transposeB, m, n, k, alpha, pa, lda, pb, ldb, beta, pe, ldc);
            provider.Sgemm(transposeA, transposeB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        }
        NumericAssert.KernelClose(expected, actual,
            $"{provider.Name} m={m} n={n} k={k} tA={transposeA} tB={transposeB} alpha={alpha} beta={beta} pad={pad}");
    }

    private static float[] Filled(Random rng, int length)
    {
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = rng.NextSingle() * 2 - 1;
        return data;
    }
}

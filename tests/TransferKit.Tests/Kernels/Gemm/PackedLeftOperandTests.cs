using TransferKit.Kernels;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Tests.Kernels.Gemm;

/// <summary>
/// Products that read op(A) packed beforehand (<see cref="PackedLeftOperand"/>) against the same products packing A
/// themselves: the same bits, on every managed kernel width and on the bfloat16 kernel, across the micro-panel edge,
/// several k blocks (odd depths leave a half-empty last pair), both layouts of A, the thread split (row ranges that start
/// inside the packed panels) and an epilogue. A packed operand that does not fit a product is ignored, never read.
/// </summary>
public unsafe class PackedLeftOperandTests
{
    public static IEnumerable<object[]> Shapes()
    {
        (int M, int N, int K)[] shapes = [(8, 32, 8), (9, 33, 7), (13, 45, 600), (64, 100, 513), (300, 213, 1100), (70, 49, 2051)];
        foreach (var (m, n, k) in shapes)
            foreach (bool transposeA in new[] { false, true })
                yield return [m, n, k, transposeA];
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ManagedProductsGiveTheSameBitsFromPackedPanels(int m, int n, int k, bool transposeA)
    {
        foreach (var width in Enum.GetValues<GemmVectorWidth>().Where(ManagedGemm.IsAccelerated))
        {
            var gemm = new ManagedGemm(width);
            foreach (int threads in new[] { 1, 2 })
            {
                Compare(m, n, k, transposeA, threads, withEpilogue: false, (a, lda, b, c, bias, packed) =>
                    gemm.Sgemm(transposeA, false, m, n, k, 1f, a, lda, b, n, 0.5f, c, n, packed),
                    (a, lda) => gemm.PackLeft(transposeA, m, k, a, lda));
                Compare(m, n, k, transposeA, threads, withEpilogue: true, (a, lda, b, c, bias, packed) =>
                    Assert.True(gemm.TrySgemmWithEpilogue(transposeA, false, m, n, k, a, lda, b, n, c, n, new GemmEpilogue(bias, null, n, ActivationKind.ReLU), packed)),
                    (a, lda) => gemm.PackLeft(transposeA, m, k, a, lda));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BFloat16ProductsGiveTheSameBitsFromPackedPanels(int m, int n, int k, bool transposeA)
    {
        if (!BFloat16Gemm.IsAvailable) return;
        foreach (int threads in new[] { 1, 2 })
        {
            Compare(m, n, k, transposeA, threads, withEpilogue: true, (a, lda, b, c, bias, packed) =>
                Assert.True(BFloat16Gemm.TryRun(transposeA, false, m, n, k, 1f, a, lda, b, n, 0f, c, n, new GemmEpilogue(bias, null, n, ActivationKind.ReLU), packed)),
                (a, lda) => BlockedGemm<BFloat16MicroKernel>.PackLeft(transposeA, m, k, a, lda));
        }
    }

    [Fact]
    public void TheEngineReadsPackedPanelsOnlyWhereTheyFit()
    {
        const int m = 40, n = 70, k = 90;
        var rng = new Random(11);
        float[] a = Filled(rng, m * k), other = Filled(rng, m * k), b = Filled(rng, k * n);
        float[] expected = new float[m * n], actual = new float[m * n];
        fixed (float* pa = a, po = other, pb = b, pe = expected, pc = actual)
        {
            GemmEngine.Sgemm(false, false, m, n, k, 1f, pa, k, pb, n, 0f, pe, n);
            // Panels of another matrix, or of this one for a product of another depth or scale, must not be read.
            using var ofOther = GemmEngine.TryPackLeft(false, m, n, k, po, k);
            GemmEngine.Sgemm(false, false, m, n, k, 1f, pa, k, pb, n, 0f, pc, n, ofOther);
            Assert.Equal(expected, actual);
            using var packed = GemmEngine.TryPackLeft(false, m, n, k, pa, k);
            if (GemmEngine.Provider is ManagedGemm) Assert.NotNull(packed);
            Assert.False(packed?.Fits(packed.Kernel, false, m, k, 2f, pa) ?? false);
            Assert.False(packed?.Fits(packed.Kernel, false, m, k - 1, 1f, pa) ?? false);
            Assert.False(packed?.Fits(packed.Kernel, true, m, k, 1f, pa) ?? false);
            GemmEngine.Sgemm(false, false, m, n, k, 1f, pa, k, pb, n, 0f, pc, n, packed);
            Assert.Equal(expected, actual);
            packed?.Dispose();
            Assert.False(packed?.Fits(packed.Kernel, false, m, k, 1f, pa) ?? false);
        }
        // A skinny product never runs on the blocked driver, so nothing is packed for it.
        fixed (float* pa = a) Assert.Null(GemmEngine.TryPackLeft(false, 3, 4, k, pa, k));
    }

    private delegate void Product(float* a, int lda, float* b, float* c, float* bias, PackedLeftOperand? packed);

    private delegate PackedLeftOperand Pack(float* a, int lda);

    private static void Compare(int m, int n, int k, bool transposeA, int threads, bool withEpilogue, Product product, Pack pack)
    {
        int lda = transposeA ? m + 3 : k + 3;
        var rng = new Random(m * 131 + n * 17 + k);
        float[] a = Filled(rng, (transposeA ? k : m) * lda), b = Filled(rng, k * n), start = Filled(rng, m * n), bias = Filled(rng, m);
        float[] own = [.. start], fromPanels = [.. start];
        int saved = Parallelism.DegreeOfParallelism;
        try
        {
            Parallelism.DegreeOfParallelism = threads;
            fixed (float* pa = a, pb = b, pOwn = own, pPanels = fromPanels, pBias = bias)
            {
                product(pa, lda, pb, pOwn, pBias, null);
                using var packed = pack(pa, lda);
                Assert.True(packed.Fits(packed.Kernel, transposeA, m, k, 1f, pa));
                product(pa, lda, pb, pPanels, pBias, packed);
            }
        }
        finally
        {
            Parallelism.DegreeOfParallelism = saved;
        }
        Assert.True(own.AsSpan().SequenceEqual(fromPanels), $"{m}x{n}x{k} transposeA={transposeA} threads={threads} epilogue={withEpilogue}");
    }

    private static float[] Filled(Random rng, int length)
    {
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = rng.NextSingle() * 2 - 1;
        return data;
    }
}

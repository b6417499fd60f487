using TransferKit.Kernels;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Tests.Kernels.Gemm;

/// <summary>
/// The managed GEMM with a per-tile epilogue (row bias, residual, activation) against the naive product followed by the
/// naive epilogue: edge tiles, several k blocks (the epilogue must run once, after the last) and the parallel split.
/// </summary>
public unsafe class GemmEpilogueTests
{
    [Theory]
    [InlineData(13, 45, 600, ActivationKind.ReLU, true, 1)]
    [InlineData(64, 256, 64, ActivationKind.ReLU6, false, 2)]
    [InlineData(64, 256, 64, ActivationKind.SiLU, true, 2)]
    [InlineData(9, 33, 5, ActivationKind.Hardswish, true, 1)]
    [InlineData(40, 1100, 1030, ActivationKind.Identity, true, 2)]
    public void MatchesNaiveProductThenEpilogue(int m, int n, int k, ActivationKind kind, bool withResidual, int threads)
    {
        int saved = Parallelism.DegreeOfParallelism;
        try
        {
            Parallelism.DegreeOfParallelism = threads;
            foreach (var width in Enum.GetValues<GemmVectorWidth>().Where(ManagedGemm.IsAccelerated))
                Check(new ManagedGemm(width), m, n, k, kind, withResidual);
        }
        finally
        {
            Parallelism.DegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void SkinnyProductsAndEmptyDepthAreLeftToTheCaller()
    {
        float[] buffer = new float[64];
        fixed (float* p = buffer)
        {
            var epilogue = new GemmEpilogue(p, null, 0, ActivationKind.ReLU);
            Assert.False(new ManagedGemm().TrySgemmWithEpilogue(false, false, 3, 8, 4, p, 4, p, 8, p, 8, epilogue));
            Assert.False(new ManagedGemm().TrySgemmWithEpilogue(false, false, 8, 8, 0, p, 1, p, 8, p, 8, epilogue));
        }
    }

    internal static void Check(ManagedGemm provider, int m, int n, int k, ActivationKind kind, bool withResidual, int threads)
    {
        int saved = Parallelism.DegreeOfParallelism;
        try
        {
            Parallelism.DegreeOfParallelism = threads;
            Check(provider, m, n, k, kind, withResidual);
        }
        finally
        {
            Parallelism.DegreeOfParallelism = saved;
        }
    }

    /// <summary>
    /// The epilogue applied to the AVX-512 and AVX2 kernels' accumulators (<see cref="BlockedGemm{TKernel}.EpilogueInRegisters"/>)
    /// against the pass over each stored tile, (AVX-512) with and without the tile's early prefetch, and (AVX2) with the last
    /// row tile stored in place or off to the side (<see cref="BlockedGemm{TKernel}.RowEdgesInPlace"/>) and a narrow last
    /// sliver as half a tile or a whole one (<see cref="BlockedGemm{TKernel}.NarrowLastSlivers"/>): the same bits, with
    /// one and several k blocks, edge tiles, every activation, with and without bias and residual, on one and two threads.
    /// </summary>
    [Theory]
    [InlineData(16, 64, 40, true, true)]
    [InlineData(37, 100, 600, true, false)]
    [InlineData(64, 256, 1100, false, true)]
    [InlineData(9, 33, 5, false, false)]
    [InlineData(13, 56, 70, true, true)]
    public void TheEpilogueInRegistersGivesTheSameBitsAsThePassOverTheTile(int m, int n, int k, bool withBias, bool withResidual)
    {
        if (ManagedGemm.IsAccelerated(GemmVectorWidth.Bits512))
            CheckEpilogueInRegisters<MicroKernel512>(GemmVectorWidth.Bits512, m, n, k, withBias, withResidual);
        if (ManagedGemm.IsAccelerated(GemmVectorWidth.Bits256) && System.Runtime.Intrinsics.X86.Fma.IsSupported)
            CheckEpilogueInRegisters<MicroKernel256>(GemmVectorWidth.Bits256, m, n, k, withBias, withResidual);
    }

    private static void CheckEpilogueInRegisters<TKernel>(GemmVectorWidth width, int m, int n, int k, bool withBias, bool withResidual)
        where TKernel : struct, IGemmMicroKernel
    {
        var provider = new ManagedGemm(width);
        var rng = new Random(m + n + k);
        float[] a = Filled(rng, m * k), b = Filled(rng, k * n), bias = Filled(rng, m), residual = Filled(rng, m * n);
        int saved = Parallelism.DegreeOfParallelism;
        bool wide = typeof(TKernel) == typeof(MicroKernel512);
        try
        {
            foreach (var kind in Enum.GetValues<ActivationKind>())
            {
                foreach (int threads in new[] { 1, 2 })
                {
                    Parallelism.DegreeOfParallelism = threads;
                    int[] Run(bool inRegisters, bool prefetch = true, bool rowEdgesInPlace = true, bool halfSliver = true)
                    {
                        float[] c = new float[m * n];
                        BlockedGemm<TKernel>.EpilogueInRegisters = inRegisters;
                        BlockedGemm<TKernel>.RowEdgesInPlace = rowEdgesInPlace;
                        BlockedGemm<TKernel>.NarrowLastSlivers = halfSliver;
                        MicroKernel512.PrefetchesTileRows = prefetch;
                        fixed (float* pa = a, pb = b, pbias = bias, pr = residual, pc = c)
                            Assert.True(provider.TrySgemmWithEpilogue(false, false, m, n, k, pa, k, pb, n, pc, n,
                                new GemmEpilogue(withBias ? pbias : null, withResidual ? pr : null, n, kind)));
                        return c.Select(BitConverter.SingleToInt32Bits).ToArray();
                    }
                    int[] pass = Run(false), fused = Run(true);
                    Assert.True(pass.SequenceEqual(fused), $"{width} {kind} m={m} n={n} k={k} threads={threads}");
                    // Asking for the tile's lines early changes no value.
                    if (wide) Assert.True(Run(true, prefetch: false).SequenceEqual(fused), $"{kind} m={m} n={n} k={k} threads={threads}, without the prefetch");
                    else
                    {
                        Assert.True(Run(false, rowEdgesInPlace: false).SequenceEqual(fused), $"{kind} m={m} n={n} k={k} threads={threads}, row edges aside");
                        Assert.True(Run(true, rowEdgesInPlace: false).SequenceEqual(fused), $"{kind} m={m} n={n} k={k} threads={threads}, row edges aside, fused");
                        Assert.True(Run(true, halfSliver: false).SequenceEqual(fused), $"{kind} m={m} n={n} k={k} threads={threads}, narrow last sliver as a whole tile");
                    }
                }
            }
        }
        finally
        {
            BlockedGemm<TKernel>.EpilogueInRegisters = true;
            BlockedGemm<TKernel>.RowEdgesInPlace = true;
            BlockedGemm<TKernel>.NarrowLastSlivers = true;
            MicroKernel512.PrefetchesTileRows = true;
            Parallelism.DegreeOfParallelism = saved;
        }
    }

    private static void Check(ManagedGemm provider, int m, int n, int k, ActivationKind kind, bool withResidual)
    {
        const int pad = 3;
        int ldc = n + pad;
        var rng = new Random(m * 7919 + n * 31 + k);
        float[] a = Filled(rng, m * k), b = Filled(rng, k * n), bias = Filled(rng, m), residual = Filled(rng, m * ldc);
        float[] expected = new float[m * ldc];
        Array.Fill(expected, float.NaN);
        float[] actual = (float[])expected.Clone();
        fixed (float* pa = a, pb = b, pbias = bias, pr = residual, pe = expected, pc = actual)
        {
            new NaiveGemm().Sgemm(false, false, m, n, k, 1f, pa, k, pb, n, 0f, pe, ldc);
            for (int i = 0; i < m; i++)
            {
                float* row = pe + (long)i * ldc;
                for (int j = 0; j < n; j++) row[j] += pbias[i] + (withResidual ? pr[(long)i * ldc + j] : 0f);
                NaiveActivation.Forward(kind, row, row, n);
            }
            var epilogue = new GemmEpilogue(pbias, withResidual ? pr : null, ldc, kind);
            Assert.True(provider.TrySgemmWithEpilogue(false, false, m, n, k, pa, k, pb, n, pc, ldc, epilogue));
        }
        NumericAssert.KernelClose(expected, actual, $"{provider.Name} m={m} n={n} k={k} {kind} residual={withResidual}");
    }

    private static float[] Filled(Random rng, int length)
    {
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = rng.NextSingle() * 2 - 1;
        return data;
    }
}

using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Tests.Kernels.Gemm;

/// <summary>
/// Products with few rows of A that read B where it lies instead of packed (<see cref="BlockedGemm{TKernel}.ReadsBInPlace"/>)
/// against the naive product, with the packed path forced as a control: ragged last slivers, several k blocks, padded
/// leading dimensions, alpha and beta, NaN in C under beta 0, the parallel split and the fused epilogue.
/// </summary>
public class InPlaceBGemmTests
{
    // (m, n, k, transposeA, alpha, beta, nanInC, pad): all within the rule (m <= 64, k >= 64, B untransposed).
    public static IEnumerable<object[]> Cases() =>
    [
        [8, 32, 64, false, 1f, 0f, true, 0],
        [24, 3136, 144, false, 1f, 0f, true, 0],
        [17, 100, 70, false, 1f, 0f, false, 3],
        [64, 1000, 600, true, 0.5f, 1f, false, 1],
        [40, 2500, 1100, false, 1f, 0.25f, false, 0],
        [3, 45, 513, true, -1f, 0f, true, 2],
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void InPlaceMatchesNaive(int m, int n, int k, bool transposeA, float alpha, float beta, bool nanInC, int pad)
    {
        Assert.True(BlockedGemm<MicroKernel512>.ReadsBInPlace(false, m, k));
        Assert.Equal(m <= BlockedGemm<MicroKernel256>.InPlaceBMaxRowsAvx2, BlockedGemm<MicroKernel256>.ReadsBInPlace(false, m, k));
        foreach (var provider in Providers())
            GemmChecker.Check(provider, m, n, k, transposeA, false, alpha, beta, nanInC, pad);
    }

    /// <summary>The managed GEMM at each width whose in-place path runs here: AVX-512 and AVX2 with FMA.</summary>
    private static IEnumerable<ManagedGemm> Providers()
    {
        if (ManagedGemm.IsAccelerated(GemmVectorWidth.Bits512)) yield return new ManagedGemm(GemmVectorWidth.Bits512);
        if (ManagedGemm.IsAccelerated(GemmVectorWidth.Bits256)) yield return new ManagedGemm(GemmVectorWidth.Bits256);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PackedControlMatchesNaive(int m, int n, int k, bool transposeA, float alpha, float beta, bool nanInC, int pad) =>
        Packed(() =>
        {
            foreach (var provider in Providers())
                GemmChecker.Check(provider, m, n, k, transposeA, false, alpha, beta, nanInC, pad);
        });

    [Theory]
    [InlineData(24, 3136, 144, 2)]
    [InlineData(13, 1100, 600, 1)]
    public void EpilogueIsAppliedOnceWithBInPlace(int m, int n, int k, int threads)
    {
        foreach (var provider in Providers())
            GemmEpilogueTests.Check(provider, m, n, k, ActivationKind.ReLU6, withResidual: true, threads);
    }

    [Fact]
    public void OnlyFewRowsOfADeepEnoughTakeBInPlace()
    {
        Assert.True(BlockedGemm<MicroKernel512>.ReadsBInPlace(false, 64, 64));
        Assert.False(BlockedGemm<MicroKernel512>.ReadsBInPlace(false, 65, 512), "more than eight micro-panels");
        Assert.False(BlockedGemm<MicroKernel512>.ReadsBInPlace(false, 16, 32), "too shallow");
        Assert.False(BlockedGemm<MicroKernel512>.ReadsBInPlace(true, 16, 512), "B transposed");
        Assert.True(BlockedGemm<MicroKernel256>.ReadsBInPlace(false, 40, 512), "the AVX2 kernel");
        Assert.False(BlockedGemm<MicroKernel256>.ReadsBInPlace(false, 41, 512), "the AVX2 kernel past its rows");
        Assert.False(BlockedGemm<MicroKernel128>.ReadsBInPlace(false, 16, 512), "the 128-bit kernel");
        Packed(() => Assert.False(BlockedGemm<MicroKernel512>.ReadsBInPlace(false, 16, 512) || BlockedGemm<MicroKernel256>.ReadsBInPlace(false, 16, 512)));
    }

    private static void Packed(Action check)
    {
        bool saved = BlockedGemm<MicroKernel512>.BInPlace, saved256 = BlockedGemm<MicroKernel256>.BInPlace;
        try
        {
            BlockedGemm<MicroKernel512>.BInPlace = false;
            BlockedGemm<MicroKernel256>.BInPlace = false;
            check();
        }
        finally
        {
            BlockedGemm<MicroKernel512>.BInPlace = saved;
            BlockedGemm<MicroKernel256>.BInPlace = saved256;
        }
    }
}

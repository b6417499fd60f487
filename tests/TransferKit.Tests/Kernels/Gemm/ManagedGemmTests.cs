using TransferKit.Kernels;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Tests.Kernels.Gemm;

public class ManagedGemmTests
{
    public static IEnumerable<object[]> SmallCases() => GemmCases.Small();

    public static IEnumerable<object[]> LargeCases() => GemmCases.Large();

    public static IEnumerable<object[]> SkinnyCases() => GemmCases.Skinny();

    /// <summary>Every width this CPU accelerates: the widest is what users get, the narrower ones are the fallbacks.</summary>
    private static IEnumerable<ManagedGemm> Providers() =>
        Enum.GetValues<GemmVectorWidth>().Where(ManagedGemm.IsAccelerated).Select(w => new ManagedGemm(w));

    [Theory]
    [MemberData(nameof(SmallCases))]
    public void MatchesNaiveOnSmallShapes(int m, int n, int k, bool transposeA, bool transposeB, float alpha, float beta, bool nanInC, int pad)
    {
        foreach (var provider in Providers())
            GemmChecker.Check(provider, m, n, k, transposeA, transposeB, alpha, beta, nanInC, pad);
    }

    [Theory]
    [MemberData(nameof(LargeCases))]
    public void MatchesNaiveOnLargeShapes(int m, int n, int k, bool transposeA, bool transposeB, float alpha, float beta, bool nanInC, int pad) =>
        GemmChecker.Check(new ManagedGemm(), m, n, k, transposeA, transposeB, alpha, beta, nanInC, pad);

    [Theory]
    [MemberData(nameof(SkinnyCases))]
    public void MatchesNaiveOnSkinnyShapes(int m, int n, int k, bool transposeA, bool transposeB, float alpha, float beta, bool nanInC, int pad)
    {
        int saved = Parallelism.DegreeOfParallelism;
        try
        {
            foreach (int threads in new[] { 1, saved, 3 })
            {
                Parallelism.DegreeOfParallelism = threads;
                GemmChecker.Check(new ManagedGemm(), m, n, k, transposeA, transposeB, alpha, beta, nanInC, pad);
            }
        }
        finally
        {
            Parallelism.DegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void NarrowerKernelsMatchNaiveAcrossBlocks()
    {
        foreach (var provider in Providers())
            GemmChecker.Check(provider, 67, 45, 300, true, false, 1f, 0.5f, false, 2);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void AnyThreadCountGivesTheSameResult(int threads)
    {
        int saved = Parallelism.DegreeOfParallelism;
        try
        {
            Parallelism.DegreeOfParallelism = threads;
            GemmChecker.Check(new ManagedGemm(), 130, 150, 270, false, true, 1f, 0f, true, 0);
            GemmChecker.Check(new ManagedGemm(), 20, 700, 100, true, false, 1f, 0.5f, false, 1);
        }
        finally
        {
            Parallelism.DegreeOfParallelism = saved;
        }
    }

    [Theory]
    [InlineData(2, 128, 32, 1024, 1024, 2, 1)]   // square: a tie goes to splitting rows
    [InlineData(2, 2, 100, 9, 3000, 1, 2)]      // too few row panels: split columns
    [InlineData(4, 128, 32, 1024, 1024, 2, 2)]
    [InlineData(3, 128, 32, 1024, 1024, 3, 1)]
    [InlineData(4, 1, 1, 8, 32, 1, 1)]          // one tile: no split
    [InlineData(8, 2, 3, 16, 96, 1, 1)]         // fewer than two panels or slivers per thread either way
    public void GridSplitsTheLargerSide(int threads, int panelsM, int slivers, int m, int n, int gridM, int gridN) =>
        Assert.Equal((gridM, gridN), BlockedGemm<MicroKernel512>.ChooseGrid(threads, panelsM, slivers, m, n));

    [Fact]
    public void NameSaysTheWidth()
    {
        string name = new ManagedGemm().Name;
        Assert.StartsWith("managed", name);
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) Assert.Equal("managed AVX-512", name);
    }

    [Fact]
    public unsafe void RejectsShortLeadingDimension()
    {
        float* buffer = stackalloc float[16];
        var gemm = new ManagedGemm();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => gemm.Sgemm(false, false, 2, 2, 3, 1, buffer, 2, buffer, 2, 0, buffer, 2));
        Assert.Equal("lda", ex.ParamName);
    }
}

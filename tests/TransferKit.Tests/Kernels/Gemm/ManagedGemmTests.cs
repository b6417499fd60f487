using TransferKit.Kernels;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Tests.Kernels.Gemm;

public class ManagedGemmTests
{
    public static IEnumerable<object[]> SmallCases() => GemmCases.Small();

    public static IEnumerable<object[]> LargeCases() => GemmCases.Large();

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

    [Fact]
    public void NarrowerKernelsMatchNaiveAcrossBlocks()
    {
        foreach (var provider in Providers())
            GemmChecker.Check(provider, 67, 45, 300, true, false, 1f, 0.5f, false, 2);
    }

    [Fact]
    public void SingleThreadGivesTheSameResult()
    {
        int saved = Parallelism.DegreeOfParallelism;
        try
        {
            Parallelism.DegreeOfParallelism = 1;
            GemmChecker.Check(new ManagedGemm(), 130, 150, 270, false, true, 1f, 0f, true, 0);
        }
        finally
        {
            Parallelism.DegreeOfParallelism = saved;
        }
    }

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

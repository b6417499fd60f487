using TransferKit.Kernels;
using TransferKit.Kernels.Gemm;
using Xunit.Sdk;

namespace TransferKit.Tests.Kernels.Gemm;

public class CblasGemmProviderTests
{
    public static IEnumerable<object[]> SmallCases() => GemmCases.Small();

    public static IEnumerable<object[]> LargeCases() => GemmCases.Large();

    /// <summary>
    /// The library is installed here and on CI, so a missing one fails the test rather than passing it quietly.
    /// Set TRANSFERKIT_ALLOW_NO_BLAS=1 on a machine without BLAS to let these tests pass without checking.
    /// </summary>
    internal static CblasGemmProvider? RequireCblas()
    {
        if (CblasGemmProvider.TryLoad(out var provider, out string reason)) return provider;
        if (Environment.GetEnvironmentVariable("TRANSFERKIT_ALLOW_NO_BLAS") == "1") return null;
        throw new XunitException(
            $"No CBLAS library loaded ({reason}). Install it with `{CblasGemmProvider.InstallHint}`, or set TRANSFERKIT_ALLOW_NO_BLAS=1 to skip the CBLAS tests.");
    }

    [Theory]
    [MemberData(nameof(SmallCases))]
    public void MatchesNaiveOnSmallShapes(int m, int n, int k, bool transposeA, bool transposeB, float alpha, float beta, bool nanInC, int pad)
    {
        if (RequireCblas() is { } cblas) GemmChecker.Check(cblas, m, n, k, transposeA, transposeB, alpha, beta, nanInC, pad);
    }

    [Theory]
    [MemberData(nameof(LargeCases))]
    public void MatchesNaiveOnLargeShapes(int m, int n, int k, bool transposeA, bool transposeB, float alpha, float beta, bool nanInC, int pad)
    {
        if (RequireCblas() is { } cblas) GemmChecker.Check(cblas, m, n, k, transposeA, transposeB, alpha, beta, nanInC, pad);
    }

    [Fact]
    public void NameIncludesTheLibraryFile()
    {
        if (RequireCblas() is not { } cblas) return;
        Assert.Contains(cblas.LibraryName, cblas.Name);
        Assert.Contains(cblas.LibraryName, CblasGemmProvider.CandidateLibraryNames);
    }

    [Fact]
    public void FollowsThreadCountChanges()
    {
        if (RequireCblas() is not { } cblas) return;
        int saved = Parallelism.DegreeOfParallelism;
        try
        {
            Parallelism.DegreeOfParallelism = 1;
            if (cblas.IsOpenBlas) Assert.Equal(1, cblas.NativeThreadCount);
            GemmChecker.Check(cblas, 160, 170, 180, false, false, 1f, 0f, true, 0);
        }
        finally
        {
            Parallelism.DegreeOfParallelism = saved;
        }
        // OpenBLAS caps the count at the threads it was built for, so only the direction is certain.
        if (cblas.IsOpenBlas && saved > 1) Assert.True(cblas.NativeThreadCount > 1);
        GemmChecker.Check(cblas, 160, 170, 180, true, true, 1f, 0f, true, 0);
    }

    [Fact]
    public void MissingLibraryNamesEveryCandidate()
    {
        string[] names = ["libtransferkit-no-such-blas.so.7", "libc.so.6"];
        Assert.False(CblasGemmProvider.TryLoadFrom(names, out var provider, out string reason));
        Assert.Null(provider);
        Assert.Contains("libtransferkit-no-such-blas.so.7: not found", reason);
        if (OperatingSystem.IsLinux()) Assert.Contains("libc.so.6: loaded but exports no cblas_sgemm", reason);
    }

    [Fact]
    public void LoadReturnsTheSameProviderAsTryLoad()
    {
        if (RequireCblas() is not { } cblas) return;
        Assert.Same(cblas, CblasGemmProvider.Load());
    }

    [Fact]
    public void NotFoundExceptionCarriesNamesAndInstallHint()
    {
        var ex = new NativeLibraryNotFoundException("CBLAS (GEMM)", CblasGemmProvider.CandidateLibraryNames, CblasGemmProvider.InstallHint, "libopenblas.so.0: not found");
        Assert.IsAssignableFrom<TransferKitException>(ex);
        Assert.Equal("apt-get install -y libopenblas0-pthread", ex.InstallHint);
        Assert.Equal(CblasGemmProvider.CandidateLibraryNames, ex.LibraryNames);
        Assert.Contains("apt-get install -y libopenblas0-pthread", ex.Message);
        Assert.Contains("libopenblas.so.0: not found", ex.Message);
    }
}

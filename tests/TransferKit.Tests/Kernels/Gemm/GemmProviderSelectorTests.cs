using TransferKit.Kernels.Gemm;

namespace TransferKit.Tests.Kernels.Gemm;

public class GemmProviderSelectorTests
{
    [Fact]
    public void PicksCblasWhenItLoadsOnCpusWithoutWideFma()
    {
        var cblas = CblasGemmProviderTests.RequireCblas();
        var selected = GemmProviderSelector.Select(null, hasWideFma: false);
        if (cblas is null)
        {
            Assert.IsType<ManagedGemm>(selected);
            Assert.Contains(CblasGemmProvider.InstallHint, GemmProviderSelector.SelectionLog);
            return;
        }
        Assert.Same(cblas, selected);
        Assert.Equal($"GEMM: {cblas.Name}", GemmProviderSelector.SelectionLog);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("auto")]
    [InlineData(" AUTO ")]
    public void PrefersManagedGemmOnCpusWithWideFma(string? request)
    {
        Assert.IsType<ManagedGemm>(GemmProviderSelector.Select(request, hasWideFma: true));
        Assert.Contains("preferred over CBLAS on CPUs with AVX2 and FMA or AVX-512", GemmProviderSelector.SelectionLog);
    }

    [Fact]
    public void EnvironmentRequestOverridesTheRule()
    {
        Assert.IsType<ManagedGemm>(GemmProviderSelector.Select("managed", hasWideFma: false));
        if (CblasGemmProviderTests.RequireCblas() is { } cblas)
            Assert.Same(cblas, GemmProviderSelector.Select("cblas", hasWideFma: true));
        var ex = Assert.Throws<TransferKitException>(() => GemmProviderSelector.Select("mkl", hasWideFma: true));
        Assert.Contains("TRANSFERKIT_GEMM='mkl'", ex.Message);
    }

    [Fact]
    public void FallbackLogSaysWhyAndHowToInstall()
    {
        string log = GemmProviderSelector.FallbackLog("managed AVX-512", "libopenblas.so.0: not found");
        Assert.Equal("GEMM: managed AVX-512 (no CBLAS: libopenblas.so.0: not found — install with `apt-get install -y libopenblas0-pthread`)", log);
    }

    [Fact]
    public void DiagnosticsTellAnExplicitProviderApart()
    {
        var saved = GemmEngine.Provider;
        try
        {
            GemmEngine.Provider = new NaiveGemm();
            Assert.StartsWith("naive reference (set explicitly) [GEMM:", GemmDiagnostics.ActiveProviderDescription);
        }
        finally
        {
            GemmEngine.Provider = saved;
        }
    }

    [Fact]
    public void DiagnosticsNameTheActiveProvider()
    {
        string description = GemmDiagnostics.ActiveProviderDescription;
        Assert.Contains(GemmEngine.Provider.Name, description);
        Assert.Contains("GEMM:", description);
    }
}

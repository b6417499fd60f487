using TransferKit.Kernels.Gemm;

namespace TransferKit.Tests.Kernels.Gemm;

public class GemmProviderSelectorTests
{
    [Fact]
    public void PicksCblasWhenItLoads()
    {
        var cblas = CblasGemmProviderTests.RequireCblas();
        var selected = GemmProviderSelector.SelectDefault();
        if (cblas is null)
        {
            Assert.IsType<ManagedGemm>(selected);
            Assert.Contains(CblasGemmProvider.InstallHint, GemmProviderSelector.SelectionLog);
            return;
        }
        Assert.Same(cblas, selected);
        Assert.Equal($"GEMM: {cblas.Name}", GemmProviderSelector.SelectionLog);
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

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
    public void DiagnosticsNameTheActiveProvider()
    {
        string description = GemmDiagnostics.ActiveProviderDescription;
        Assert.Contains(GemmEngine.Provider.Name, description);
        Assert.Contains("GEMM:", description);
    }
}

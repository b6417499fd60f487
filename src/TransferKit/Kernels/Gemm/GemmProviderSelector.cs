namespace TransferKit.Kernels.Gemm;

/// <summary>Chooses the default GEMM provider. Placeholder until the CBLAS and managed SIMD providers land.</summary>
internal static class GemmProviderSelector
{
    public static IGemmProvider SelectDefault() => new NaiveGemm();
}

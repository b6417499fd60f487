namespace TransferKit.Kernels.Gemm;

/// <summary>What GEMM implementation this process uses, for logs and bug reports.</summary>
public static class GemmDiagnostics
{
    /// <summary>
    /// The active provider's name and how it was chosen, e.g.
    /// "OpenBLAS (libopenblas.so.0) [GEMM: OpenBLAS (libopenblas.so.0)]". Reading it makes the automatic choice if
    /// none was made yet (loading the BLAS library).
    /// </summary>
    public static string ActiveProviderDescription
    {
        get
        {
            var provider = GemmEngine.Provider;
            string how = ReferenceEquals(provider, GemmProviderSelector.LastSelected) ? "" : " (set explicitly)";
            return $"{provider.Name}{how} [{GemmProviderSelector.SelectionLog}]";
        }
    }
}

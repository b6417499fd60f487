using TransferKit.Kernels.Gemm;

namespace TransferKit.Benchmarks;

/// <summary>The GEMM providers a benchmark can pick.</summary>
public enum GemmProviderKind
{
    /// <summary>The native CBLAS library (OpenBLAS here).</summary>
    Cblas,

    /// <summary>The managed SIMD GEMM.</summary>
    Managed,
}

/// <summary>Creates the provider a <see cref="GemmProviderKind"/> names.</summary>
internal static class GemmProviders
{
    public static IGemmProvider Create(GemmProviderKind kind) =>
        kind == GemmProviderKind.Cblas ? CblasGemmProvider.Load() : new ManagedGemm();
}

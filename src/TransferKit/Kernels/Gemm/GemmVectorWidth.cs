namespace TransferKit.Kernels.Gemm;

/// <summary>The vector width of a <see cref="ManagedGemm"/> micro-kernel.</summary>
internal enum GemmVectorWidth
{
    /// <summary>Vector128: SSE or NEON, 6 x 8 tile.</summary>
    Bits128,

    /// <summary>Vector256: AVX2, 6 x 16 tile.</summary>
    Bits256,

    /// <summary>Vector512: AVX-512, 8 x 32 tile.</summary>
    Bits512,
}

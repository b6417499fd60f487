namespace TransferKit.Kernels.Gemm;

/// <summary>
/// The register-tile core of <see cref="ManagedGemm"/>: computes one <see cref="Mr"/> x <see cref="Nr"/> tile of C
/// from a packed A micro-panel and a packed B sliver. Each vector width has one implementation; the blocking,
/// packing, edges and threading live once in <see cref="BlockedGemm{TKernel}"/>.
/// </summary>
internal unsafe interface IGemmMicroKernel
{
    /// <summary>Rows of the C tile (rows of op(A) per packed micro-panel).</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of the C tile (columns of op(B) per packed sliver); a multiple of the vector width.</summary>
    static abstract int Nr { get; }

    /// <summary>
    /// Whether the kernel multiplies bfloat16 pairs: the driver then packs A and B in fp32 as usual and narrows each
    /// packed block to 32-bit slots of two bfloat16 values (k = 2q in the low half, 2q + 1 in the high half), and
    /// <see cref="Run"/> gets the number of slots as its depth and the slot blocks as its operands.
    /// </summary>
    static abstract bool PacksBFloat16Pairs { get; }

    /// <summary>
    /// C[0..Mr, 0..Nr] = A·B + beta * C, where <paramref name="a"/> holds <paramref name="kc"/> columns of Mr values
    /// (a[p * Mr + i]) and <paramref name="b"/> holds kc rows of Nr values (b[p * Nr + j]). With beta = 0, C is
    /// only written, never read.
    /// </summary>
    static abstract void Run(int kc, float* a, float* b, float* c, nint ldc, float beta);
}

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// op(A) packed once into the blocked GEMM's micro-panels for every product that shares it: a convolution's weights
/// multiplied by one image after another, which would otherwise be packed again for each image (and, in bfloat16,
/// narrowed again). Made by <see cref="GemmEngine.TryPackLeft"/> for the kernel the products will run on; a product
/// that runs on another kernel, or with another A, packs its own as before.
/// </summary>
/// <remarks>
/// Layout: k in blocks of <see cref="BlockedGemm{TKernel}.Kc"/>; block b starts at b x <see cref="PaddedRows"/> x
/// (depth of a full block) and holds the micro-panels of all rows, each Mr rows x the block's depth (its k, or its slots
/// of bfloat16 pairs), so any run of rows that starts on a micro-panel is one pointer away.
/// </remarks>
internal sealed unsafe class PackedLeftOperand : IDisposable
{
    private readonly ScratchBuffer _buffer;
    private bool _disposed;

    internal PackedLeftOperand(Type kernel, float* source, bool transposeA, int m, int k, int paddedRows, int length)
    {
        Kernel = kernel;
        Source = source;
        TransposeA = transposeA;
        M = m;
        K = k;
        PaddedRows = paddedRows;
        _buffer = new ScratchBuffer(length);
    }

    /// <summary>The micro-kernel type whose panels these are.</summary>
    public Type Kernel { get; }

    /// <summary>The A that was packed (as the products pass it).</summary>
    public float* Source { get; }

    public bool TransposeA { get; }

    /// <summary>Rows of op(A).</summary>
    public int M { get; }

    /// <summary>Columns of op(A): the products' depth.</summary>
    public int K { get; }

    /// <summary><see cref="M"/> rounded up to whole micro-panels.</summary>
    public int PaddedRows { get; }

    /// <summary>The packed panels.</summary>
    public float* Data => _buffer.Pointer;

    /// <summary>Whether a product C = alpha op(A) op(B) on <paramref name="kernel"/> can read these panels instead of packing A.</summary>
    public bool Fits(Type kernel, bool transposeA, int m, int k, float alpha, float* a) =>
        !_disposed && kernel == Kernel && transposeA == TransposeA && m == M && k == K && alpha == 1f && a == Source;

    /// <summary>
    /// Whether these panels belong to a store that keeps them across calls (<see cref="Convolution.PreparedConvWeights"/>):
    /// <see cref="Dispose"/> then leaves them alone, so callers can hold them in a <c>using</c> either way.
    /// </summary>
    internal bool IsShared { get; set; }

    public void Dispose()
    {
        if (_disposed || IsShared) return;
        _disposed = true;
        _buffer.Dispose();
    }
}

using System.Runtime.Intrinsics;

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// GEMM in C# with no native dependency: packed, cache-blocked, with a SIMD register-tile micro-kernel of the
/// widest vector the CPU accelerates (AVX-512, AVX2, or 128-bit NEON/SSE). It is the fallback when no CBLAS
/// library loads, slower than OpenBLAS but within a small factor. It runs on up to
/// <see cref="Parallelism.DegreeOfParallelism"/> threads itself, so, as with any provider, call it from outside
/// parallel loops.
/// </summary>
public sealed class ManagedGemm : IGemmProvider
{
    private readonly GemmVectorWidth _width;

    /// <summary>Creates the provider for the widest vectors this CPU accelerates.</summary>
    public ManagedGemm() : this(WidestAccelerated)
    {
    }

    /// <summary>Creates the provider for a given width (tests use this to cover the narrower kernels).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The width is not accelerated on this CPU.</exception>
    internal ManagedGemm(GemmVectorWidth width)
    {
        if (!IsAccelerated(width))
            throw new ArgumentOutOfRangeException(nameof(width), width, "This vector width is not hardware-accelerated here.");
        _width = width;
        Name = width switch
        {
            GemmVectorWidth.Bits512 => "managed AVX-512",
            GemmVectorWidth.Bits256 => "managed 256-bit SIMD",
            _ => "managed 128-bit SIMD",
        };
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The widest width this CPU accelerates.</summary>
    internal static GemmVectorWidth WidestAccelerated =>
        Vector512.IsHardwareAccelerated ? GemmVectorWidth.Bits512
        : Vector256.IsHardwareAccelerated ? GemmVectorWidth.Bits256
        : GemmVectorWidth.Bits128;

    /// <summary>Whether kernels of <paramref name="width"/> run on vector hardware here (128-bit always may).</summary>
    internal static bool IsAccelerated(GemmVectorWidth width) => width switch
    {
        GemmVectorWidth.Bits512 => Vector512.IsHardwareAccelerated,
        GemmVectorWidth.Bits256 => Vector256.IsHardwareAccelerated,
        GemmVectorWidth.Bits128 => true,
        _ => false,
    };

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a leading dimension is shorter than its stored row.</exception>
    /// <exception cref="ArgumentNullException">A pointer that must be read or written is null.</exception>
    /// <summary>
    /// C = epilogue(op(A) * op(B)) with the epilogue applied to each tile as it is finished; false (and nothing done)
    /// where the blocked driver does not run (k = 0, or a skinny product), so that the caller falls back.
    /// </summary>
    internal unsafe bool TrySgemmWithEpilogue(bool transposeA, bool transposeB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, GemmEpilogue epilogue, PackedLeftOperand? packedA = null,
        GemmPrologue prologue = default)
    {
        if (k == 0 || SkinnyGemm.Applies(m, n)) return false;
        if (GemmArguments.ValidateAndHandleDegenerate(transposeA, transposeB, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc)) return false;
        RunBlocked(transposeA, transposeB, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc, epilogue, packedA, prologue);
        return true;
    }

    /// <summary>Whether this provider runs products over images side by side (<see cref="ImageColumns"/>): its AVX-512 tile does.</summary>
    internal bool RunsImages => _width switch
    {
        GemmVectorWidth.Bits512 => BlockedGemm<MicroKernel512>.RunsImages,
        GemmVectorWidth.Bits256 => BlockedGemm<MicroKernel256>.RunsImages,
        _ => false,
    };

    /// <summary>Columns of the register tile the blocked products run on (32 for AVX-512, 16 for AVX2, 8 otherwise).</summary>
    internal int TileColumns => _width switch
    {
        GemmVectorWidth.Bits512 => MicroKernel512.Nr,
        GemmVectorWidth.Bits256 => MicroKernel256.Nr,
        _ => MicroKernel128.Nr,
    };

    /// <summary>
    /// C = epilogue(op(A) B), or C += op(A) B where <paramref name="accumulate"/>, over <paramref name="images"/> side by
    /// side (see <see cref="BlockedGemm{TKernel}.Run(bool, bool, int, int, int, float, float*, int, float*, int, float, float*, int, GemmEpilogue, PackedLeftOperand?, ImageColumns, GemmPrologue)"/>);
    /// only where <see cref="RunsImages"/>. op(A) is m x k: A itself, or A stored k x m where <paramref name="transposeA"/>.
    /// A <paramref name="prologue"/> transforms B's rows as they are packed.
    /// </summary>
    internal unsafe void SgemmImages(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, ImageColumns images,
        GemmEpilogue epilogue, PackedLeftOperand? packedA, bool transposeA = false, bool accumulate = false, GemmPrologue prologue = default)
    {
        if (!RunsImages) throw new InvalidOperationException("Products over images side by side need the AVX-512 or AVX2 kernel.");
        if (m <= 0 || n <= 0 || k <= 0) throw new ArgumentOutOfRangeException(nameof(m), $"Products over images need m, n and k above 0 (got {m}, {n}, {k}).");
        if (a == null || b == null || c == null) throw new ArgumentNullException(a == null ? nameof(a) : b == null ? nameof(b) : nameof(c));
        if (lda < (transposeA ? m : k) || ldb < images.Width || ldc < images.Width)
            throw new ArgumentOutOfRangeException(nameof(lda), $"Leading dimensions {lda}, {ldb}, {ldc} too small for op(A) {m} x {k} and images {images.Width} wide.");
        if (_width == GemmVectorWidth.Bits512)
            BlockedGemm<MicroKernel512>.Run(transposeA, false, m, n, k, 1f, a, lda, b, ldb, accumulate ? 1f : 0f, c, ldc, epilogue, packedA, images, prologue);
        else
            BlockedGemm<MicroKernel256>.Run(transposeA, false, m, n, k, 1f, a, lda, b, ldb, accumulate ? 1f : 0f, c, ldc, epilogue, packedA, images, prologue);
    }

    /// <summary>The micro-kernel type the blocked products run on (the one <see cref="PackLeft"/> packs for).</summary>
    internal Type MicroKernel => _width switch
    {
        GemmVectorWidth.Bits512 => typeof(MicroKernel512),
        GemmVectorWidth.Bits256 => typeof(MicroKernel256),
        _ => typeof(MicroKernel128),
    };

    /// <summary>
    /// Packs op(A) (m x k) once for the blocked products that will share it (see <see cref="PackedLeftOperand"/>).
    /// </summary>
    internal unsafe PackedLeftOperand PackLeft(bool transposeA, int m, int k, float* a, int lda) => _width switch
    {
        GemmVectorWidth.Bits512 => BlockedGemm<MicroKernel512>.PackLeft(transposeA, m, k, a, lda),
        GemmVectorWidth.Bits256 => BlockedGemm<MicroKernel256>.PackLeft(transposeA, m, k, a, lda),
        _ => BlockedGemm<MicroKernel128>.PackLeft(transposeA, m, k, a, lda),
    };

    /// <summary>As the public <c>Sgemm</c>, reading <paramref name="packedA"/> instead of packing A where it fits.</summary>
    internal unsafe void Sgemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, PackedLeftOperand? packedA)
    {
        if (GemmArguments.ValidateAndHandleDegenerate(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)) return;
        if (SkinnyGemm.Applies(m, n))
        {
            SkinnyGemm.Run(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        RunBlocked(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, default, packedA);
    }

    private unsafe void RunBlocked(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, GemmEpilogue epilogue, PackedLeftOperand? packedA,
        GemmPrologue prologue = default)
    {
        switch (_width)
        {
            case GemmVectorWidth.Bits512:
                BlockedGemm<MicroKernel512>.Run(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue, packedA, prologue: prologue);
                break;
            case GemmVectorWidth.Bits256:
                BlockedGemm<MicroKernel256>.Run(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue, packedA, prologue: prologue);
                break;
            default:
                BlockedGemm<MicroKernel128>.Run(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue, packedA, prologue: prologue);
                break;
        }
    }

    /// <inheritdoc />
    public unsafe void Sgemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc) =>
        Sgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, packedA: null);
}

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// The process-wide GEMM entry point. <see cref="Provider"/> is chosen on first use: the CBLAS native
/// provider when a BLAS library loads, else the managed SIMD GEMM. Set it to force one. Inside a
/// <see cref="BFloat16Scope"/>, products large enough for the blocked driver run on bfloat16 operands instead, whatever
/// the provider.
/// </summary>
public static class GemmEngine
{
    private static IGemmProvider? s_provider;

    /// <summary>The active provider. Setting it replaces the automatic choice (tests and benchmarks do).</summary>
    public static IGemmProvider Provider
    {
        get => s_provider ??= GemmProviderSelector.SelectDefault();
        set => s_provider = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>C = alpha * op(A) * op(B) + beta * C with the active provider; see <see cref="IGemmProvider.Sgemm"/>.</summary>
    public static unsafe void Sgemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m == 0 || n == 0) return;
        if (BFloat16Scope.IsActive && BFloat16Gemm.TryRun(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, default)) return;
        Provider.Sgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>
    /// As <see cref="Sgemm(bool, bool, int, int, int, float, float*, int, float*, int, float, float*, int)"/>, reading
    /// <paramref name="packedA"/> (from <see cref="TryPackLeft"/>) instead of packing A where it fits.
    /// </summary>
    internal static unsafe void Sgemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, PackedLeftOperand? packedA)
    {
        if (m == 0 || n == 0) return;
        if (BFloat16Scope.IsActive && BFloat16Gemm.TryRun(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, default, packedA)) return;
        if (Provider is ManagedGemm managed) managed.Sgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, packedA);
        else Provider.Sgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>
    /// Packs op(A) (m x k) once for products C = op(A) op(B) of width <paramref name="n"/> that will share it, with the
    /// kernel they will run on here (the provider, and this thread's bfloat16 scope: products inside
    /// <see cref="Parallelism.ForWhole"/> carry it); null where they would not run on the blocked driver (another
    /// provider, a skinny or empty product), and the products then pack their own. The caller disposes it after the
    /// last product.
    /// </summary>
    internal static unsafe PackedLeftOperand? TryPackLeft(bool transposeA, int m, int n, int k, float* a, int lda)
    {
        var kernel = LeftPackingKernel(m, n, k);
        if (kernel is null) return null;
        if (kernel == typeof(BFloat16MicroKernel)) return BlockedGemm<BFloat16MicroKernel>.PackLeft(transposeA, m, k, a, lda);
        return ((ManagedGemm)Provider).PackLeft(transposeA, m, k, a, lda);
    }

    /// <summary>
    /// The micro-kernel whose panels <see cref="TryPackLeft"/> would pack for an m x n x k product on this thread now,
    /// or null where it would pack none.
    /// </summary>
    internal static Type? LeftPackingKernel(int m, int n, int k)
    {
        if (m == 0 || n == 0 || k == 0 || SkinnyGemm.Applies(m, n)) return null;
        if (BFloat16Scope.IsActive && BFloat16Gemm.IsAvailable) return typeof(BFloat16MicroKernel);
        return Provider is ManagedGemm managed ? managed.MicroKernel : null;
    }

    /// <summary>
    /// Whether <see cref="SgemmWithEpilogue"/> takes a <see cref="GemmPrologue"/> for an m x n x k product with B
    /// untransposed: the blocked driver of the bfloat16 GEMM inside a bfloat16 scope, of the managed float32 GEMM
    /// elsewhere (not a skinny product, k above 0).
    /// </summary>
    internal static bool AppliesPrologue(int m, int n, int k) =>
        k > 0 && !SkinnyGemm.Applies(m, n) && (BFloat16Scope.IsActive ? BFloat16Gemm.IsAvailable : Provider is ManagedGemm);

    /// <summary>
    /// C = epilogue(op(A) * op(B)), overwriting C: the managed GEMM applies the epilogue to each tile while it is in
    /// cache; other providers run the plain product and then one pass over C. A <c>packedA</c> from
    /// <see cref="TryPackLeft"/> is read instead of packing A where it fits. A <paramref name="prologue"/> (see
    /// <see cref="AppliesPrologue"/>) transforms B's rows as the managed GEMM packs them.
    /// </summary>
    /// <exception cref="InvalidOperationException">A prologue is given where <see cref="AppliesPrologue"/> does not hold.</exception>
    internal static unsafe void SgemmWithEpilogue(bool transposeA, bool transposeB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, GemmEpilogue epilogue, PackedLeftOperand? packedA = null,
        GemmPrologue prologue = default)
    {
        if (m == 0 || n == 0) return;
        if (!prologue.IsNone)
        {
            bool ran = !transposeB && AppliesPrologue(m, n, k) && (BFloat16Scope.IsActive
                ? BFloat16Gemm.TryRun(transposeA, transposeB, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc, epilogue, packedA, prologue)
                : ((ManagedGemm)Provider).TrySgemmWithEpilogue(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, epilogue, packedA, prologue));
            if (!ran) throw new InvalidOperationException($"A {m} x {n} x {k} product cannot transform B as it packs it here.");
            return;
        }
        if (BFloat16Scope.IsActive && BFloat16Gemm.TryRun(transposeA, transposeB, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc, epilogue, packedA)) return;
        if (Provider is ManagedGemm managed && managed.TrySgemmWithEpilogue(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, epilogue, packedA))
            return;
        if (epilogue.IsNone)
        {
            Provider.Sgemm(transposeA, transposeB, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc);
            return;
        }
        Provider.Sgemm(transposeA, transposeB, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc);
        Parallelism.For(0, m, row => epilogue.Apply(c + (long)row * ldc, ldc, row, 0, 1, n), Math.Max(1, 16384 / n));
    }
}

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// Argument checks and the degenerate cases every provider shares, so that a bad leading dimension fails with
/// a named argument instead of reading out of bounds (or, in CBLAS, printing to stderr and returning).
/// </summary>
internal static unsafe class GemmArguments
{
    /// <summary>Throws when a size is negative, a leading dimension is shorter than its stored row, or a needed pointer is null.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a leading dimension too small.</exception>
    /// <exception cref="ArgumentNullException">A pointer that will be read or written is null.</exception>
    public static void Validate(bool transposeA, bool transposeB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        // Stored A is m x k, or k x m when transposed; stored B is k x n, or n x k.
        ArgumentOutOfRangeException.ThrowIfLessThan(lda, transposeA ? m : k);
        ArgumentOutOfRangeException.ThrowIfLessThan(ldb, transposeB ? k : n);
        ArgumentOutOfRangeException.ThrowIfLessThan(ldc, n);
        if (m == 0 || n == 0) return;
        ArgumentNullException.ThrowIfNull(c);
        if (k == 0) return;
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
    }

    /// <summary>
    /// The prologue every provider runs: validates, then answers the degenerate cases (empty C; k = 0 or alpha = 0,
    /// where C = beta * C). Returns true when nothing is left for the provider to compute.
    /// </summary>
    public static bool ValidateAndHandleDegenerate(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        Validate(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0) return true;
        if (k != 0 && alpha != 0) return false;
        // CBLAS rejects lda < 1 for k = 0 (printing to stderr and doing nothing), so every provider answers here.
        ScaleC(m, n, beta, c, ldc);
        return true;
    }

    /// <summary>
    /// C = beta * C, the whole answer when k = 0 or alpha = 0 (A and B are then not read, as reference BLAS
    /// does). With beta = 0, C is zeroed without being read, so NaN in C does not survive.
    /// </summary>
    public static void ScaleC(int m, int n, float beta, float* c, int ldc)
    {
        if (beta == 1) return;
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0) row.Clear();
            else System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }
}

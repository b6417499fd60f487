namespace TransferKit.Kernels.Gemm;

/// <summary>
/// Single-precision general matrix multiply on row-major matrices:
/// C = alpha * op(A) * op(B) + beta * C, where op(A) is M x K, op(B) is K x N and C is M x N.
/// With beta = 0, C's prior contents are ignored (NaN in C does not propagate), as CBLAS specifies.
/// Implementations may use up to <see cref="Parallelism.DegreeOfParallelism"/> threads and must be called
/// from outside kernels' own parallel loops.
/// </summary>
public interface IGemmProvider
{
    /// <summary>A short name for logs and errors, e.g. "OpenBLAS (libopenblas.so.0)" or "managed AVX-512".</summary>
    string Name { get; }

    /// <summary>Computes C = alpha * op(A) * op(B) + beta * C.</summary>
    /// <param name="transposeA">Whether A is stored as K x M (so op(A) = A^T).</param>
    /// <param name="transposeB">Whether B is stored as N x K.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, row-major with leading dimension <paramref name="lda"/>.</param>
    /// <param name="lda">Row stride of A as stored.</param>
    /// <param name="b">B, row-major with leading dimension <paramref name="ldb"/>.</param>
    /// <param name="ldb">Row stride of B as stored.</param>
    /// <param name="beta">Scale of C's prior contents; 0 overwrites.</param>
    /// <param name="c">C, row-major with leading dimension <paramref name="ldc"/>.</param>
    /// <param name="ldc">Row stride of C.</param>
    unsafe void Sgemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);
}

using System.Numerics.Tensors;

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// GEMM for products where C has at most <see cref="MaxNarrowSide"/> rows or columns, such as a classifier head's
/// [64, 2048] x [2048, 2] and its two backward products. The blocked driver pads such shapes to whole register tiles
/// (a 2-column C costs as much as a 32-column one) and packs a panel of the wide operand first; here every product is
/// either a set of dot products between contiguous rows or a sum of scaled contiguous rows, with no packing of the
/// wide operand, so the time is one pass over it.
/// </summary>
internal static unsafe class SkinnyGemm
{
    /// <summary>The narrow side of C up to which this path is taken.</summary>
    internal const int MaxNarrowSide = 4;

    /// <summary>Columns of C accumulated at once by the row-sum form: 16 KiB per row stays in L1 while k rows stream past.</summary>
    private const int ColumnBlock = 4096;

    /// <summary>Below this many multiply-adds per thread, waking another thread costs more than it saves.</summary>
    private const long MinWorkPerThread = 1L << 19;

    /// <summary>Whether C = op(A)·op(B) of m x n is narrow enough for this path.</summary>
    public static bool Applies(int m, int n) => Math.Min(m, n) <= MaxNarrowSide;

    /// <summary>C = alpha * op(A) * op(B) + beta * C; arguments already validated, m, n, k, alpha non-zero.</summary>
    public static void Run(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m <= MaxNarrowSide)
        {
            if (!transposeB)
            {
                // C[i, :] = sum_p op(A)[i, p] * B[p, :]: B's rows are contiguous and long.
                var scalars = new StridedMatrix(a, transposeA ? 1 : lda, transposeA ? lda : 1);
                RowSums(m, n, k, alpha, scalars, b, ldb, beta, c, ldc);
                return;
            }
            // C[i, j] = op(A)[i, :] . B[j, :]: B's rows are contiguous; op(A)'s rows are copied out when A is transposed.
            using var rows = transposeA ? Transposed(a, lda, k, m) : default;
            Dots(m, n, k, alpha, transposeA ? rows.Pointer : a, transposeA ? k : lda, b, ldb, beta, c, ldc, 1);
            return;
        }
        if (!transposeA)
        {
            // C[i, j] = A[i, :] . op(B)[:, j]: op(B)'s few columns are copied out as rows when B is not transposed.
            using var columns = transposeB ? default : Transposed(b, ldb, k, n);
            Dots(n, m, k, alpha, transposeB ? b : columns.Pointer, transposeB ? ldb : k, a, lda, beta, c, 1, ldc);
            return;
        }
        // A is stored [k, m]: C^T[j, :] = sum_p op(B)[p, j] * A[p, :] sums A's long rows into a scratch C^T.
        using var cT = new ScratchBuffer(n * m);
        var bScalars = new StridedMatrix(b, transposeB ? ldb : 1, transposeB ? 1 : ldb);
        RowSums(n, m, k, 1f, bScalars, a, lda, 0f, cT.Pointer, m);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float value = alpha * cT.Pointer[(long)j * m + i];
                float* cij = c + (long)i * ldc + j;
                *cij = beta == 0f ? value : value + beta * *cij;
            }
        }
    }

    /// <summary>
    /// C[i, col] = alpha * sum_p s(i, p) * rows[p, col] + beta * C[i, col] for i below <paramref name="narrow"/>,
    /// column blocks in parallel when the work is large.
    /// </summary>
    private static void RowSums(int narrow, int wide, int k, float alpha, StridedMatrix s, float* rows, int ldRows,
        float beta, float* c, int ldc)
    {
        int blocks = (wide + ColumnBlock - 1) / ColumnBlock;
        int threads = Threads((long)narrow * wide * k, Math.Max(blocks, wide / 256));
        if (threads > 1)
        {
            Parallelism.ForChunks(0, wide, threads, (start, end) => RowSumsRange(narrow, start, end, k, alpha, s, rows, ldRows, beta, c, ldc));
            return;
        }
        RowSumsRange(narrow, 0, wide, k, alpha, s, rows, ldRows, beta, c, ldc);
    }

    private static void RowSumsRange(int narrow, int from, int to, int k, float alpha, StridedMatrix s, float* rows, int ldRows,
        float beta, float* c, int ldc)
    {
        for (int col = from; col < to; col += ColumnBlock)
        {
            int width = Math.Min(ColumnBlock, to - col);
            for (int i = 0; i < narrow; i++)
            {
                var cRow = new Span<float>(c + (long)i * ldc + col, width);
                // beta = 0 must not read C, which may hold anything (NaN included).
                if (beta == 0f) cRow.Clear();
                else if (beta != 1f) TensorPrimitives.Multiply(cRow, beta, cRow);
            }
            for (int p = 0; p < k; p++)
            {
                var row = new ReadOnlySpan<float>(rows + (long)p * ldRows + col, width);
                for (int i = 0; i < narrow; i++)
                {
                    var cRow = new Span<float>(c + (long)i * ldc + col, width);
                    TensorPrimitives.MultiplyAdd(row, alpha * s[i, p], cRow, cRow);
                }
            }
        }
    }

    /// <summary>
    /// C[x * cStrideX + y * cStrideY] = alpha * X[x, :] . Y[y, :] + beta * C for x below <paramref name="narrow"/> and every
    /// y of <paramref name="wide"/>, rows of Y in parallel when the work is large.
    /// </summary>
    private static void Dots(int narrow, int wide, int k, float alpha, float* x, int ldx, float* y, int ldy,
        float beta, float* c, int cStrideX, int cStrideY)
    {
        int threads = Threads((long)narrow * wide * k, wide / 8);
        if (threads > 1)
        {
            Parallelism.ForChunks(0, wide, threads, (start, end) => DotsRange(narrow, start, end, k, alpha, x, ldx, y, ldy, beta, c, cStrideX, cStrideY));
            return;
        }
        DotsRange(narrow, 0, wide, k, alpha, x, ldx, y, ldy, beta, c, cStrideX, cStrideY);
    }

    private static void DotsRange(int narrow, int from, int to, int k, float alpha, float* x, int ldx, float* y, int ldy,
        float beta, float* c, int cStrideX, int cStrideY)
    {
        for (int j = from; j < to; j++)
        {
            var yRow = new ReadOnlySpan<float>(y + (long)j * ldy, k);
            for (int i = 0; i < narrow; i++)
            {
                float value = alpha * TensorPrimitives.Dot(new ReadOnlySpan<float>(x + (long)i * ldx, k), yRow);
                float* cij = c + (long)i * cStrideX + (long)j * cStrideY;
                *cij = beta == 0f ? value : value + beta * *cij;
            }
        }
    }

    private static int Threads(long work, int maxUseful) =>
        (int)Math.Clamp(Math.Min(work / MinWorkPerThread, maxUseful), 1, Parallelism.ThreadsHere);

    /// <summary>The transpose of a [rows, cols] matrix as a contiguous [cols, rows] scratch buffer.</summary>
    private static ScratchBuffer Transposed(float* source, int ld, int rows, int cols)
    {
        var buffer = new ScratchBuffer(rows * cols);
        float* dst = buffer.Pointer;
        for (int r = 0; r < rows; r++)
        {
            float* src = source + (long)r * ld;
            for (int col = 0; col < cols; col++) dst[(long)col * rows + r] = src[col];
        }
        return buffer;
    }

    /// <summary>Element [i, p] of a matrix read through arbitrary strides.</summary>
    private readonly struct StridedMatrix(float* origin, int rowStride, int columnStride)
    {
        public float this[int i, int p] => origin[(long)i * rowStride + (long)p * columnStride];
    }
}

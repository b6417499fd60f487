using System.Runtime.CompilerServices;

namespace TransferKit.Kernels.Gemm;

/// <summary>Packing of op(A) and op(B) blocks into the layouts the micro-kernel streams through.</summary>
internal static unsafe partial class BlockedGemm<TKernel>
{
    /// <summary>
    /// Packs alpha * op(A)[row0 .. row0+rows, pc .. pc+kc] into Mr-tall micro-panels: panel q holds
    /// dst[q*Mr*kc + p*Mr + i] = alpha * op(A)[row0 + q*Mr + i, pc + p], rows past the edge zero-filled.
    /// Folding alpha in here costs one multiply per element of A instead of one per element of C per k block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackAPanels(bool transposeA, float* a, int lda, float alpha, int row0, int rows, int pc, int kc, float* dst)
    {
        int mr = TKernel.Mr;
        for (int r = 0; r < rows; r += mr)
        {
            int valid = Math.Min(mr, rows - r);
            float* panel = dst + (long)r * kc;
            if (transposeA)
            {
                // Stored A is k x m: each p reads `valid` contiguous values of one stored row.
                for (int p = 0; p < kc; p++)
                {
                    float* src = a + (long)(pc + p) * lda + row0 + r;
                    float* d = panel + p * mr;
                    int i = 0;
                    for (; i < valid; i++) d[i] = alpha * src[i];
                    for (; i < mr; i++) d[i] = 0;
                }
            }
            else
            {
                // Stored A is m x k: each row is read contiguously and scattered with stride Mr.
                for (int i = 0; i < valid; i++)
                {
                    float* src = a + (long)(row0 + r + i) * lda + pc;
                    float* d = panel + i;
                    for (int p = 0; p < kc; p++) d[p * mr] = alpha * src[p];
                }
                for (int i = valid; i < mr; i++)
                {
                    for (int p = 0; p < kc; p++) panel[p * mr + i] = 0;
                }
            }
        }
    }

    /// <summary>
    /// Packs slivers [s0, s1) of op(B)[pc .. pc+kc, jc .. jc+nc]: sliver s holds
    /// dst[s*Nr*kc + p*Nr + j] = op(B)[pc + p, jc + s*Nr + j], columns past the edge zero-filled.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackBSlivers(bool transposeB, float* b, int ldb, int pc, int kc, int jc, int nc, int s0, int s1, float* dst)
    {
        int nr = TKernel.Nr;
        for (int s = s0; s < s1; s++)
        {
            int col = jc + s * nr;
            int valid = Math.Min(nr, jc + nc - col);
            float* sliver = dst + (long)s * nr * kc;
            if (transposeB)
            {
                // Stored B is n x k: each column of op(B) is a contiguous stored row.
                for (int j = 0; j < valid; j++)
                {
                    float* src = b + (long)(col + j) * ldb + pc;
                    float* d = sliver + j;
                    for (int p = 0; p < kc; p++) d[p * nr] = src[p];
                }
                for (int j = valid; j < nr; j++)
                {
                    for (int p = 0; p < kc; p++) sliver[p * nr + j] = 0;
                }
            }
            else if (valid == nr)
            {
                for (int p = 0; p < kc; p++)
                    Unsafe.CopyBlockUnaligned(sliver + p * nr, b + (long)(pc + p) * ldb + col, (uint)(nr * sizeof(float)));
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = b + (long)(pc + p) * ldb + col;
                    float* d = sliver + p * nr;
                    int j = 0;
                    for (; j < valid; j++) d[j] = src[j];
                    for (; j < nr; j++) d[j] = 0;
                }
            }
        }
    }
}

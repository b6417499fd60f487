using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
    private static void PackA(bool transposeA, float* a, int lda, float alpha, int row0, int rows, int pc, int kc, float* dst)
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
                continue;
            }
            // Stored A is m x k: the panel is a transpose of `valid` stored rows.
            float* rowsStart = a + (long)(row0 + r) * lda + pc;
            int p0 = 0;
            if (mr == 8 && valid == 8 && PackTranspose.IsSupported)
            {
                for (; p0 + 8 <= kc; p0 += 8) PackTranspose.Block8x8(rowsStart + p0, lda, panel + p0 * 8, 8, alpha);
            }
            for (int i = 0; i < valid; i++)
            {
                float* src = rowsStart + (long)i * lda;
                for (int p = p0; p < kc; p++) panel[p * mr + i] = alpha * src[p];
            }
            for (int i = valid; i < mr; i++)
            {
                for (int p = 0; p < kc; p++) panel[p * mr + i] = 0;
            }
        }
    }

    /// <summary>
    /// <see cref="PackB"/> of an untransposed B with each row transformed by <paramref name="prologue"/> on the way
    /// (<see cref="GemmPrologue"/>); columns past the edge stay zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackNormalizedB(in GemmPrologue prologue, float* b, int ldb, int pc, int kc, int jc, int nc, float* dst)
    {
        int nr = TKernel.Nr;
        for (int col = 0; col < nc; col += nr)
        {
            int valid = Math.Min(nr, nc - col);
            float* sliver = dst + (long)col * kc;
            bool prefetch = SliverPrefetch.Applies(col, nr, nc);
            for (int p = 0; p < kc; p++)
            {
                float* src = b + (long)(pc + p) * ldb + jc + col;
                float* d = sliver + p * nr;
                int j = 0;
                if (Vector512.IsHardwareAccelerated)
                {
                    if (prefetch) SliverPrefetch.Next(src, nr);
                    for (; j + 16 <= valid; j += 16) prologue.Apply(Vector512.Load(src + j), pc + p).Store(d + j);
                }
                else if (Vector256.IsHardwareAccelerated)
                {
                    if (prefetch) SliverPrefetch.Next(src, nr);
                    for (; j + 8 <= valid; j += 8) prologue.Apply(Vector256.Load(src + j), pc + p).Store(d + j);
                }
                for (; j < valid; j++) d[j] = prologue.Apply(src[j], pc + p);
                for (; j < nr; j++) d[j] = 0;
            }
        }
    }

    /// <summary>
    /// Packs op(B)[pc .. pc+kc, jc .. jc+nc] into Nr-wide slivers: sliver s holds
    /// dst[s*Nr*kc + p*Nr + j] = op(B)[pc + p, jc + s*Nr + j], columns past the edge zero-filled.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(bool transposeB, float* b, int ldb, int pc, int kc, int jc, int nc, float* dst)
    {
        int nr = TKernel.Nr;
        for (int col = 0; col < nc; col += nr)
        {
            int valid = Math.Min(nr, nc - col);
            float* sliver = dst + (long)col * kc;
            if (transposeB)
            {
                // Stored B is n x k: the sliver is a transpose of `valid` stored rows.
                float* rowsStart = b + (long)(jc + col) * ldb + pc;
                int j = 0;
                if (nr % 8 == 0 && PackTranspose.IsSupported)
                {
                    for (; j + 8 <= valid; j += 8)
                    {
                        float* src = rowsStart + (long)j * ldb;
                        int p = 0;
                        for (; p + 8 <= kc; p += 8) PackTranspose.Block8x8(src + p, ldb, sliver + p * nr + j, nr, 1f);
                        for (; p < kc; p++)
                        {
                            for (int jj = 0; jj < 8; jj++) sliver[p * nr + j + jj] = src[(long)jj * ldb + p];
                        }
                    }
                }
                for (; j < valid; j++)
                {
                    float* src = rowsStart + (long)j * ldb;
                    for (int p = 0; p < kc; p++) sliver[p * nr + j] = src[p];
                }
                for (; j < nr; j++)
                {
                    for (int p = 0; p < kc; p++) sliver[p * nr + j] = 0;
                }
            }
            else if (valid == nr)
            {
                bool prefetch = SliverPrefetch.Applies(col, nr, nc);
                for (int p = 0; p < kc; p++)
                {
                    float* src = b + (long)(pc + p) * ldb + jc + col;
                    if (prefetch) SliverPrefetch.Next(src, nr);
                    Unsafe.CopyBlockUnaligned(sliver + p * nr, src, (uint)(nr * sizeof(float)));
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = b + (long)(pc + p) * ldb + jc + col;
                    float* d = sliver + p * nr;
                    int j = 0;
                    for (; j < valid; j++) d[j] = src[j];
                    for (; j < nr; j++) d[j] = 0;
                }
            }
        }
    }
}


namespace TransferKit.Kernels.Gemm;

/// <summary>
/// The shared driver of <see cref="ManagedGemm"/>, in the layered scheme of Goto and van de Geijn ("Anatomy of
/// high-performance matrix multiplication", 2008) as BLIS arranges it: C is cut into column blocks of
/// <see cref="Nc"/>; k into blocks of <see cref="Kc"/>, for which a Kc x Nc panel of op(B) is packed once into
/// Nr-wide slivers; and rows into blocks of Mc, for which a Mc x Kc block of alpha·op(A) is packed into Mr-tall
/// micro-panels. The micro-kernel then sweeps every (sliver, micro-panel) pair, the sliver staying in L1 and the
/// A block in L2. Packing makes all four transpose cases and any leading dimension look alike to the kernel, and
/// zero-pads the edges so the kernel only ever sees whole tiles.
/// </summary>
/// <typeparam name="TKernel">The register tile for one vector width.</typeparam>
internal static unsafe partial class BlockedGemm<TKernel> where TKernel : struct, IGemmMicroKernel
{
    /// <summary>Depth of one packed block: a 256 x 32 float B sliver is 32 KiB, inside a 48 KiB L1.</summary>
    internal const int Kc = 256;

    /// <summary>Columns per packed B panel: 256 x 4096 floats is 4 MiB, well inside the L3.</summary>
    internal const int Nc = 4096;

    /// <summary>Rows of A packed at once (rounded down to whole micro-panels): 192 x 256 floats is 192 KiB of L2.</summary>
    internal const int Mc = 192;

    /// <summary>Below about 64^3 multiply-adds, waking a second thread costs more than it saves.</summary>
    private const long MinWorkPerThread = 1L << 17;

    /// <summary>Computes C = alpha * op(A) * op(B) + beta * C; arguments already validated, m, n, k, alpha non-zero.</summary>
    public static void Run(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        long work = (long)m * n * k;
        int threads = (int)Math.Clamp(work / MinWorkPerThread, 1, Parallelism.DegreeOfParallelism);
        int ncMax = Math.Min(Nc, RoundUp(n, TKernel.Nr));
        int kcMax = Math.Min(Kc, k);
        using var bPack = new ScratchBuffer(ncMax * kcMax);
        var job = new Job(transposeA, transposeB, m, alpha, a, lda, b, ldb, c, ldc, bPack.Pointer);
        int panelsM = (m + TKernel.Mr - 1) / TKernel.Mr;
        for (int jc = 0; jc < n; jc += Nc)
        {
            int nc = Math.Min(Nc, n - jc);
            int slivers = (nc + TKernel.Nr - 1) / TKernel.Nr;
            for (int pc = 0; pc < k; pc += Kc)
            {
                // Only the first k block applies the caller's beta; later blocks add to what it wrote.
                job.SetBlock(jc, nc, pc, Math.Min(Kc, k - pc), pc == 0 ? beta : 1f);
                if (threads == 1)
                {
                    job.PackB(0, slivers);
                    job.Compute(0, panelsM, 0, slivers);
                    continue;
                }
                Parallelism.ForChunks(0, slivers, threads, job.PackB);
                // Split C's rows when there are enough micro-panels for every thread, else its columns
                // (then each thread packs the same A rows, which is cheap next to the product it feeds).
                if (panelsM >= 2 * threads)
                    Parallelism.ForChunks(0, panelsM, threads, (p0, p1) => job.Compute(p0, p1, 0, slivers));
                else
                    Parallelism.ForChunks(0, slivers, threads, (s0, s1) => job.Compute(0, panelsM, s0, s1));
            }
        }
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    /// <summary>One GEMM call's operands and the current (jc, pc) block, shared by the worker threads.</summary>
    private sealed class Job(bool transposeA, bool transposeB, int m, float alpha,
        float* a, int lda, float* b, int ldb, float* c, int ldc, float* bPack)
    {
        private int _jc;
        private int _nc;
        private int _pc;
        private int _kc;
        private float _beta;

        public void SetBlock(int jc, int nc, int pc, int kc, float beta)
        {
            _jc = jc;
            _nc = nc;
            _pc = pc;
            _kc = kc;
            _beta = beta;
        }

        /// <summary>Packs B slivers [s0, s1) of the current block.</summary>
        public void PackB(int s0, int s1) =>
            PackBSlivers(transposeB, b, ldb, _pc, _kc, _jc, _nc, s0, s1, bPack);

        /// <summary>Computes C's tiles for micro-panels [p0, p1) of rows and slivers [s0, s1) of columns.</summary>
        public void Compute(int p0, int p1, int s0, int s1)
        {
            int mr = TKernel.Mr, nr = TKernel.Nr, kc = _kc;
            int blockPanels = Math.Max(1, Mc / mr);
            using var aPack = new ScratchBuffer(Math.Min(blockPanels, p1 - p0) * mr * kc);
            float* tile = stackalloc float[mr * nr];
            for (int pb = p0; pb < p1; pb += blockPanels)
            {
                int pe = Math.Min(p1, pb + blockPanels);
                int row0 = pb * mr;
                PackAPanels(transposeA, a, lda, alpha, row0, Math.Min(m, pe * mr) - row0, _pc, kc, aPack.Pointer);
                for (int s = s0; s < s1; s++)
                {
                    int col = s * nr;
                    int cols = Math.Min(nr, _nc - col);
                    float* sliver = bPack + (long)s * nr * kc;
                    for (int p = pb; p < pe; p++)
                    {
                        int row = p * mr;
                        int rows = Math.Min(mr, m - row);
                        float* panel = aPack.Pointer + (long)(p - pb) * mr * kc;
                        float* cTile = c + (long)row * ldc + _jc + col;
                        if (rows == mr && cols == nr)
                        {
                            TKernel.Run(kc, panel, sliver, cTile, ldc, _beta);
                        }
                        else
                        {
                            TKernel.Run(kc, panel, sliver, tile, nr, 0f);
                            MergeEdge(tile, nr, rows, cols, cTile, ldc, _beta);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Writes the valid rows x cols corner of a full tile computed off to the side: C = tile + beta * C.</summary>
    private static void MergeEdge(float* tile, int nr, int rows, int cols, float* c, int ldc, float beta)
    {
        for (int i = 0; i < rows; i++)
        {
            float* t = tile + i * nr;
            float* dst = c + (long)i * ldc;
            if (beta == 0)
            {
                for (int j = 0; j < cols; j++) dst[j] = t[j];
            }
            else
            {
                for (int j = 0; j < cols; j++) dst[j] = MathF.FusedMultiplyAdd(beta, dst[j], t[j]);
            }
        }
    }
}

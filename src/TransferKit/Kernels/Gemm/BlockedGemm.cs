using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// The shared driver of <see cref="ManagedGemm"/>, in the layered scheme of Goto and van de Geijn ("Anatomy of
/// high-performance matrix multiplication", 2008) as BLIS arranges it: C is cut into column blocks of
/// <see cref="Nc"/>; k into blocks of <see cref="Kc"/>, for which a Kc x Nc panel of op(B) is packed into
/// Nr-wide slivers; and rows into blocks of <see cref="Mc"/>, for which a Mc x Kc block of alpha·op(A) is packed
/// into Mr-tall micro-panels. The micro-kernel then sweeps every (sliver, micro-panel) pair, the B sliver staying in
/// L1 or L2 and the A block in L2. Packing makes all four transpose cases and any leading dimension look alike to the
/// kernel, and zero-pads the edges so the kernel only ever sees whole tiles.
/// </summary>
/// <typeparam name="TKernel">The register tile for one vector width.</typeparam>
internal static unsafe partial class BlockedGemm<TKernel> where TKernel : struct, IGemmMicroKernel
{
    /// <summary>
    /// Depth of one packed block. Measured on Zen 5 (48 KiB L1, 1 MiB L2): 512 beat 256 by about 10% on
    /// 1024^3 and 2048^3; the 64 KiB B sliver then streams partly from L2, which the FMA rate hides, while C
    /// is read and written half as often.
    /// </summary>
    internal const int Kc = 512;

    /// <summary>Columns per packed B panel: 512 x 2048 floats is 4 MiB per thread, inside the L3.</summary>
    internal const int Nc = 2048;

    /// <summary>Rows of A packed at once (rounded down to whole micro-panels): 256 x 512 floats is 512 KiB of L2.</summary>
    internal const int Mc = 256;

    /// <summary>
    /// Whether the AVX-512 and AVX2 kernels apply the epilogue to whole tiles in their registers
    /// (<see cref="MicroKernel512.RunFused"/>, <see cref="MicroKernel256.RunFused"/>) instead of over the stored tile;
    /// benchmarks and tests turn it off to compare. Edge tiles take the pass, but for the AVX2 kernel's row edges
    /// (<see cref="RowEdgesInPlace"/>).
    /// </summary>
    internal static bool EpilogueInRegisters { get; set; } = true;

    /// <summary>
    /// Whether the AVX2 kernel stores a last row tile of fewer than Mr rows (but all Nr columns) straight into C, instead of
    /// computing it off to the side and copying; benchmarks and tests turn it off to compare.
    /// </summary>
    internal static bool RowEdgesInPlace { get; set; } = true;

    /// <summary>
    /// Whether the AVX2 kernel computes a last sliver of at most 8 columns as half a tile (<see cref="MicroKernel256.RunHalf"/>)
    /// and one of at most 4 as a quarter (<see cref="MicroKernel256.RunQuarter"/>); benchmarks and tests turn it off to compare.
    /// </summary>
    internal static bool NarrowLastSlivers { get; set; } = true;

    /// <summary>Whether <see cref="ReadsBInPlace"/> may hold at all; benchmarks and tests turn it off to compare.</summary>
    internal static bool BInPlace { get; set; } = true;

    /// <summary>Most rows of op(A) (eight micro-panels) for which B is read in place.</summary>
    internal const int InPlaceBMaxRows = 64;

    /// <summary>
    /// Most rows of op(A) for which the AVX2 kernel reads B in place (Zen 3, 2026-12-07, <c>b-in-place</c>, one and two
    /// threads): with 16 to 40 rows it ran 1.07x-1.12x (MobileNetV2's and EfficientNet-B0's projections, DenseNet's
    /// 128-&gt;32 3x3), with 64 0.96x-1.04x per layer; whole ResNets, whose 64-row layers took it, ran 0.83x-1.04x, though
    /// with this rule, where none of their products takes it, the same command still gave 0.92x-0.97x (that machine's noise).
    /// </summary>
    internal const int InPlaceBMaxRowsAvx2 = 40;

    /// <summary>
    /// Least depth for which B is read in place: with fewer rows of B per sliver its short rows, far apart, streamed
    /// worse than packing reads them (MobileNetV2's 32-&gt;16 on 112x112 0.74x-0.8x).
    /// </summary>
    internal const int InPlaceBMinDepth = 64;

    /// <summary>How many slivers ahead the in-place B rows are prefetched (2 beat 0 and 4).</summary>
    private const int InPlaceBPrefetchSlivers = 2;

    /// <summary>
    /// Whether the AVX-512 or AVX2 kernel reads an untransposed float32 B where it lies rather than packed: with few rows of A
    /// each packed sliver would serve only a few micro-panels, and packing it (a read from memory, then a write and a
    /// read in cache) cost as much as the products. Each sliver is then read once by all the micro-panels in turn, its
    /// rows prefetched two slivers ahead.
    /// </summary>
    internal static bool ReadsBInPlace(bool transposeB, int m, int k) =>
        BInPlace && !transposeB && k >= InPlaceBMinDepth
        && (typeof(TKernel) == typeof(MicroKernel512) ? m <= InPlaceBMaxRows : typeof(TKernel) == typeof(MicroKernel256) && m <= InPlaceBMaxRowsAvx2);

    /// <summary>Below about 64^3 multiply-adds per thread, waking another thread costs more than it saves.</summary>
    private const long MinWorkPerThread = 1L << 18;

    /// <summary>Computes C = alpha * op(A) * op(B) + beta * C; arguments already validated, m, n, k, alpha non-zero.</summary>
    public static void Run(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc) =>
        Run(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, default);

    /// <summary>
    /// Computes C = epilogue(alpha * op(A) * op(B) + beta * C), applying <paramref name="epilogue"/> to each tile of C
    /// right after its last block of k; arguments already validated, m, n, k, alpha non-zero. Where
    /// <paramref name="packedA"/> (from <see cref="PackLeft"/>) fits this product, its panels are read instead of
    /// packing A. With <paramref name="images"/> (a width above 0; only where <see cref="RunsImages"/>, B untransposed, alpha 1,
    /// beta 0 or 1) the n columns are images side by side, each at its own place in B and C (<see cref="ImageColumns"/>).
    /// A <paramref name="prologue"/> (B untransposed) transforms B's rows as they are packed.
    /// </summary>
    public static void Run(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, GemmEpilogue epilogue, PackedLeftOperand? packedA = null,
        ImageColumns images = default, GemmPrologue prologue = default)
    {
        if (!prologue.IsNone && transposeB)
            throw new ArgumentException("A prologue needs B untransposed.", nameof(prologue));
        var packed = packedA is not null && packedA.Fits(typeof(TKernel), transposeA, m, k, alpha, a)
            ? new PackedPanels(packedA.Data, packedA.PaddedRows)
            : default;
        // One dispatch per product, so that each tile's epilogue is inlined code rather than a call and a switch.
        switch (epilogue.Activation)
        {
            case ActivationKind.Identity: Run(default(IdentityOperator), transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue, packed, images, prologue); break;
            case ActivationKind.ReLU: Run(default(ReluOperator), transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue, packed, images, prologue); break;
            case ActivationKind.ReLU6: Run(default(Relu6Operator), transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue, packed, images, prologue); break;
            case ActivationKind.SiLU: Run(default(SiluOperator), transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue, packed, images, prologue); break;
            case ActivationKind.Sigmoid: Run(default(SigmoidOperator), transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue, packed, images, prologue); break;
            case ActivationKind.Hardswish: Run(default(HardswishOperator), transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue, packed, images, prologue); break;
            case ActivationKind.Tanh: Run(default(TanhOperator), transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue, packed, images, prologue); break;
            default: throw new ArgumentOutOfRangeException(nameof(epilogue), epilogue.Activation, "Unknown activation.");
        }
    }

    private static void Run<TOp>(TOp op, bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, GemmEpilogue epilogue, PackedPanels packed, ImageColumns images,
        GemmPrologue prologue)
        where TOp : struct, IUnaryOperator
    {
        if (images.Width > 0)
        {
            if (transposeB || alpha != 1f || (beta != 0f && beta != 1f))
                throw new ArgumentException("Products over images side by side take B untransposed, alpha 1 and beta 0 or 1.", nameof(images));
            RunImages(op, transposeA, m, n, k, a, lda, b, ldb, beta, c, ldc, images, epilogue, packed, prologue);
            return;
        }
        int panelsM = (m + TKernel.Mr - 1) / TKernel.Mr;
        int slivers = (n + TKernel.Nr - 1) / TKernel.Nr;
        long work = (long)m * n * k;
        int threads = (int)Math.Clamp(work / MinWorkPerThread, 1, Parallelism.ThreadsHere);
        var (gridM, gridN) = ChooseGrid(threads, panelsM, slivers, m, n);
        if (gridM * gridN == 1)
        {
            RunSerial(op, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue, packed, prologue);
            return;
        }
        // Each thread owns one rectangle of C outright and packs its own operands, so the threads meet only once,
        // at the end: no barrier per k block, which matters most when the cores are shared with other work.
        Parallelism.ForChunks(0, gridM * gridN, gridM * gridN, (first, last) =>
        {
            for (int t = first; t < last; t++)
            {
                int row0 = (int)((long)panelsM * (t / gridN) / gridM) * TKernel.Mr;
                int row1 = Math.Min(m, (int)((long)panelsM * (t / gridN + 1) / gridM) * TKernel.Mr);
                int col0 = (int)((long)slivers * (t % gridN) / gridN) * TKernel.Nr;
                int col1 = Math.Min(n, (int)((long)slivers * (t % gridN + 1) / gridN) * TKernel.Nr);
                float* subA = transposeA ? a + row0 : a + (long)row0 * lda;
                float* subB = transposeB ? b + (long)col0 * ldb : b + col0;
                RunSerial(op, transposeA, transposeB, row1 - row0, col1 - col0, k, alpha, subA, lda, subB, ldb, beta,
                    c + (long)row0 * ldc + col0, ldc, epilogue.Offset(row0, col0), packed.FromRow(row0), prologue);
            }
        });
    }

    /// <summary>
    /// Splits C into gridM x gridN rectangles, one per thread, choosing the split that packs the least: each
    /// thread packs its rows of A and its columns of B, k * (m / gridM + n / gridN) values.
    /// </summary>
    internal static (int GridM, int GridN) ChooseGrid(int threads, int panelsM, int slivers, int m, int n)
    {
        for (int t = threads; t > 1; t--)
        {
            (int, int) best = (0, 0);
            double bestCost = double.MaxValue;
            // Downwards, so that a tie goes to the row split, which keeps each thread's C rows contiguous.
            for (int gm = t; gm >= 1; gm--)
            {
                if (t % gm != 0) continue;
                int gn = t / gm;
                // Whole micro-panels and slivers per thread, at least two of each, so no thread gets a sliver of work.
                if (panelsM < 2 * gm && gm > 1) continue;
                if (slivers < 2 * gn && gn > 1) continue;
                double cost = (double)m / gm + (double)n / gn;
                if (cost < bestCost) (bestCost, best) = (cost, (gm, gn));
            }
            if (bestCost < double.MaxValue) return best;
        }
        return (1, 1);
    }

    /// <summary>The whole blocked GEMM on the calling thread, with its own packing buffers.</summary>
    private static void RunSerial<TOp>(TOp op, bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, GemmEpilogue epilogue, PackedPanels packed, GemmPrologue prologue)
        where TOp : struct, IUnaryOperator
    {
        bool hasEpilogue = !epilogue.IsNone;
        int mr = TKernel.Mr, nr = TKernel.Nr;
        int mcMax = Math.Min(Math.Max(1, Mc / mr) * mr, RoundUp(m, mr));
        int ncMax = Math.Min(Nc, RoundUp(n, nr));
        int kcMax = Math.Min(Kc, k);
        // A bfloat16 kernel reads the packed blocks narrowed to pairs, half their size; fp32 kernels read them as packed.
        // A non-transposed B goes straight to pairs, so it needs no fp32 block.
        bool pairs = TKernel.PacksBFloat16Pairs, bToPairs = pairs && !transposeB;
        bool bInPlace = !pairs && prologue.IsNone && ReadsBInPlace(transposeB, m, k);
        bool packA = packed.Data == null;
        // Kept panels are read from memory once per call; packed ones were just written and sit in cache.
        bool prefetchPanels = !packA && PrefetchesPanels && Sse.IsSupported;
        using var aBuffer = new ScratchBuffer(packA ? mcMax * kcMax : 0);
        // With B in place, only the ragged last sliver is packed.
        using var bBuffer = new ScratchBuffer(bToPairs ? 0 : bInPlace ? nr * kcMax : ncMax * kcMax);
        float* aPack = aBuffer.Pointer, bPack = bBuffer.Pointer;
        int slotsMax = pairs ? BFloat16Pairs.Slots(kcMax) : 0;
        using var aPairsBuffer = new ScratchBuffer(pairs && packA ? mcMax * slotsMax : 0);
        using var bPairsBuffer = new ScratchBuffer(pairs ? ncMax * slotsMax : 0);
        float* aKernel = pairs ? aPairsBuffer.Pointer : aPack, bKernel = pairs ? bPairsBuffer.Pointer : bPack;
        float* tile = stackalloc float[mr * nr];
        for (int jc = 0; jc < n; jc += Nc)
        {
            int nc = Math.Min(Nc, n - jc);
            for (int pc = 0; pc < k; pc += Kc)
            {
                int kc = Math.Min(Kc, k - pc);
                // Only the first k block applies the caller's beta; later blocks add to what it wrote.
                float betaBlock = pc == 0 ? beta : 1f;
                bool lastBlock = hasEpilogue && pc + kc == k;
                int depth = pairs ? BFloat16Pairs.Slots(kc) : kc;
                // With B in place, its whole slivers are read where they lie; only a ragged last one is packed.
                int whole = bInPlace ? nc / nr * nr : 0;
                if (bToPairs)
                {
                    BFloat16Pairs.PackRows(b, ldb, pc, kc, jc, nc, nr, (uint*)bKernel, prologue);
                }
                else if (bInPlace)
                {
                    if (whole < nc) PackB(false, b, ldb, pc, kc, jc + whole, nc - whole, bPack);
                }
                else
                {
                    if (prologue.IsNone) PackB(transposeB, b, ldb, pc, kc, jc, nc, bPack);
                    else PackNormalizedB(prologue, b, ldb, pc, kc, jc, nc, bPack);
                    if (pairs) BFloat16Pairs.Narrow(bPack, kc, nr, RoundUp(nc, nr) / nr, (uint*)bKernel);
                }
                for (int ic = 0; ic < m; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, m - ic);
                    float* aBlock = aKernel;
                    if (packA)
                    {
                        PackA(transposeA, a, lda, alpha, ic, mc, pc, kc, aPack);
                        if (pairs) BFloat16Pairs.Narrow(aPack, kc, mr, RoundUp(mc, mr) / mr, (uint*)aKernel);
                    }
                    else
                    {
                        aBlock = PackedRows(packed.Data, packed.PaddedRows, packed.Row0 + ic, pc, kc);
                    }
                    if (bInPlace)
                    {
                        // Each sliver of B read from memory once, by all the few micro-panels in turn.
                        float* bBlock = b + (long)pc * ldb + jc;
                        for (int col = 0; col < nc; col += nr)
                        {
                            float* sliver = col < whole ? bBlock + col : bPack;
                            nint stride = col < whole ? ldb : nr;
                            int ahead = InPlaceBPrefetchSlivers * nr;
                            if (SliverPrefetch.Applies(col, ahead, whole)) SliverPrefetch.Rows(bBlock + col + ahead, kc, ldb, nr);
                            for (int row = 0; row < mc; row += mr)
                                Tile(op, depth, aBlock, sliver, stride, row, col, mc, nc, c + (long)ic * ldc + jc, ldc, betaBlock, lastBlock, epilogue, ic, jc, tile);
                        }
                    }
                    // Which order writes C faster depends on the depth of the block; see GemmLoopOrder.
                    else if (GemmLoopOrder.RowPanelsOutermost(kc, nc))
                    {
                        for (int row = 0; row < mc; row += mr)
                        {
                            if (prefetchPanels) PrefetchPanel(aBlock + (long)(row + PanelPrefetchDistance * mr) * depth, mr * depth);
                            for (int col = 0; col < nc; col += nr)
                                Tile(op, depth, aBlock, bKernel + (long)col * depth, nr, row, col, mc, nc, c + (long)ic * ldc + jc, ldc, betaBlock, lastBlock, epilogue, ic, jc, tile);
                        }
                    }
                    else
                    {
                        for (int col = 0; col < nc; col += nr)
                            for (int row = 0; row < mc; row += mr)
                            {
                                if (prefetchPanels && col == 0) PrefetchPanel(aBlock + (long)(row + PanelPrefetchDistance * mr) * depth, mr * depth);
                                Tile(op, depth, aBlock, bKernel + (long)col * depth, nr, row, col, mc, nc, c + (long)ic * ldc + jc, ldc, betaBlock, lastBlock, epilogue, ic, jc, tile);
                            }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Whether products on kept weight panels ask for the panel <see cref="PanelPrefetchDistance"/> panels ahead before
    /// each one: at batch 1 a 1x1 layer's weights are read once per call, from memory, by a handful of slivers each.
    /// Benchmarks switch it off to compare.
    /// </summary>
    internal static bool PrefetchesPanels { get; set; } = true;

    /// <summary>How many row panels ahead <see cref="PrefetchesPanels"/> asks for.</summary>
    internal static int PanelPrefetchDistance { get; set; } = 2;

    /// <summary>Asks for the <paramref name="floats"/> floats of a packed panel, a cache line at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchPanel(float* panel, int floats)
    {
        for (int i = 0; i < floats; i += 16) Sse.Prefetch0(panel + i);
    }

    /// <summary>
    /// One micro-tile: rows [row, row + Mr) and columns [col, col + Nr) of the block at <paramref name="cBlock"/>, clipped
    /// at its edges, from the B sliver at <paramref name="sliver"/> whose rows lie <paramref name="bStride"/> floats apart
    /// (Nr where packed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<TOp>(TOp op, int kc, float* aPack, float* sliver, nint bStride, int row, int col, int mc, int nc, float* cBlock, int ldc,
        float beta, bool lastBlock, in GemmEpilogue epilogue, int ic, int jc, float* tile) where TOp : struct, IUnaryOperator
    {
        int mr = TKernel.Mr, nr = TKernel.Nr;
        int rows = Math.Min(mr, mc - row), cols = Math.Min(nr, nc - col);
        float* panel = aPack + (long)row * kc;
        float* cTile = cBlock + (long)row * ldc + col;
        if (typeof(TKernel) == typeof(MicroKernel256) && cols == nr && (rows == mr || RowEdgesInPlace))
        {
            // Whole columns, so a fused epilogue runs at the widths of the pass over the tile and the bits agree; a last
            // row tile of fewer than Mr rows is stored in place as well.
            if (lastBlock && EpilogueInRegisters)
            {
                int r = ic + row;
                MicroKernel256.RunFused(kc, panel, sliver, cTile, ldc, beta, epilogue.RowBias == null ? null : epilogue.RowBias + r,
                    epilogue.Residual == null ? null : epilogue.Residual + r * epilogue.ResidualStride + jc + col, epilogue.ResidualStride, op,
                    bStride, rows);
                return;
            }
            MicroKernel256.RunRows(kc, panel, sliver, bStride, cTile, ldc, beta, rows);
        }
        else if (rows == mr && cols == nr)
        {
            if (lastBlock && typeof(TKernel) == typeof(MicroKernel512) && EpilogueInRegisters)
            {
                // The epilogue on the accumulators, before the one store of the tile.
                int r = ic + row;
                MicroKernel512.RunFused(kc, panel, sliver, cTile, ldc, beta, epilogue.RowBias == null ? null : epilogue.RowBias + r,
                    epilogue.Residual == null ? null : epilogue.Residual + r * epilogue.ResidualStride + jc + col, epilogue.ResidualStride, op, bStride);
                return;
            }
            if (TKernel.PacksBFloat16Pairs && lastBlock)
            {
                int r = ic + row;
                float* residual = epilogue.Residual == null ? null : epilogue.Residual + r * epilogue.ResidualStride + jc + col;
                if (residual != null && BFloat16MicroKernel.PrefetchesResidualRows && kc >= BFloat16MicroKernel.PrefetchMinSlots)
                {
                    BFloat16MicroKernel.PrefetchRows(residual, epilogue.ResidualStride);
                    BFloat16MicroKernel.PrefetchRows(cTile, ldc);
                }
                int activation = BFloat16Gemm.FusedActivation(epilogue.Activation);
                if (activation >= 0 && BFloat16MicroKernel.FusesEpilogue)
                {
                    // The epilogue on the accumulators, before the one store of the tile.
                    BFloat16Gemm.KernelFused(kc, panel, sliver, cTile, ldc, beta, epilogue.RowBias == null ? null : epilogue.RowBias + r,
                        residual, (nint)epilogue.ResidualStride, activation);
                    return;
                }
            }
            RunKernel(kc, panel, sliver, bStride, cTile, ldc, beta);
        }
        else
        {
            if (typeof(TKernel) == typeof(MicroKernel256) && cols <= 8 && NarrowLastSlivers)
            {
                if (cols <= 4) MicroKernel256.RunQuarter(kc, panel, sliver, bStride, tile, nr);
                else MicroKernel256.RunHalf(kc, panel, sliver, bStride, tile, nr);
            }
            else RunKernel(kc, panel, sliver, bStride, tile, nr, 0f);
            MergeEdge(tile, nr, rows, cols, cTile, ldc, beta);
        }
        if (lastBlock) epilogue.ApplyTile(op, cTile, ldc, ic + row, jc + col, rows, cols);
    }

    /// <summary>The kernel on a packed sliver, or on B in place (the AVX-512 and AVX2 kernels only) where the stride is not Nr.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunKernel(int kc, float* panel, float* sliver, nint bStride, float* c, nint ldc, float beta)
    {
        if (bStride == TKernel.Nr) TKernel.Run(kc, panel, sliver, c, ldc, beta);
        else if (typeof(TKernel) == typeof(MicroKernel256)) MicroKernel256.RunStrided(kc, panel, sliver, bStride, c, ldc, beta);
        else MicroKernel512.RunStrided(kc, panel, sliver, bStride, c, ldc, beta);
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

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

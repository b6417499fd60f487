using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// One product over several images' columns side by side (<see cref="ImageColumns"/>), for planes whose width is not a
/// multiple of the kernel's 32 columns: a 7x7 plane run image by image fills 49 of 64 columns of its slivers and a
/// 14x14 plane 196 of 224, while side by side only the last sliver of the whole range is short. B is packed straight
/// from each image's rows and the tiles that straddle two images store each part to its own image
/// (<see cref="MicroKernel512.RunSplit"/>; the AVX2 tile through a tile off to the side), so the images are neither
/// copied together nor scattered apart.
/// </summary>
internal static unsafe partial class BlockedGemm<TKernel>
{
    /// <summary>
    /// Most bytes of packed B per block where A has at most <see cref="Mc"/> rows: a thread's share of a product over
    /// images side by side is 392 columns of a 7x7 batch of 16, 1568 of a 14x14 one, and a block of all of them (3 MB at
    /// a depth of 480) leaves L2 before its slivers are read, which with few rows of A to reuse them cost 0.85x against
    /// image by image (EfficientNet's 480-&gt;80 on 14x14); at 256 KB (128 columns at depth 512) those shapes ran
    /// 1.19x-1.26x (128 KB the same). With more rows than that, each column block reads all of A again, and the general
    /// <see cref="Nc"/> did better: ResNet-50's 512-&gt;2048 on 7x7 1.21x-1.27x against 1.08x-1.14x, its stride-2
    /// 1024-&gt;2048 stacked 1.0x against 0.84x.
    /// </summary>
    private const int ImagesBlockBytes = 256 * 1024;

    /// <summary>
    /// Whether this kernel runs products over images side by side: the AVX-512 tile (which stores a tile that straddles
    /// two images with masked stores) and the AVX2 tile (which computes such a tile off to the side and copies its parts).
    /// </summary>
    internal static bool RunsImages =>
        typeof(TKernel) == typeof(MicroKernel512) ? Avx512F.IsSupported
        : typeof(TKernel) == typeof(MicroKernel256) && Avx2.IsSupported && Fma.IsSupported;

    /// <summary>C split across the threads in whole micro-panels and slivers (<see cref="ChooseGrid"/>); each thread packs its own part of B.</summary>
    private static void RunImages<TOp>(TOp op, bool transposeA, int m, int n, int k, float* a, int lda, float* b, int ldb, float beta,
        float* c, int ldc, ImageColumns images, GemmEpilogue epilogue, PackedPanels packed, GemmPrologue prologue) where TOp : struct, IUnaryOperator
    {
        if (!RunsImages) throw new InvalidOperationException($"{typeof(TKernel).Name} does not run products over images side by side.");
        if (images.Width < TKernel.Nr) throw new ArgumentOutOfRangeException(nameof(images), images.Width, $"Images narrower than {TKernel.Nr} columns.");
        int mr = TKernel.Mr, nr = TKernel.Nr, slivers = (n + nr - 1) / nr, panelsM = (m + mr - 1) / mr;
        long work = (long)m * n * k;
        int threads = (int)Math.Clamp(work / MinWorkPerThread, 1, Parallelism.ThreadsHere);
        // As the general driver splits: rows where A is the larger operand (each thread then reads half of it once,
        // where splitting the columns had every thread read all of it: ResNet-50's stride-2 1024->2048 ran 0.91x).
        var (gridM, gridN) = ChooseGrid(threads, panelsM, slivers, m, n);
        long lastImage = (n - 1) / images.Width;
        float* bEnd = b + lastImage * images.BImageStride + (long)(k - 1) * ldb + images.Width;
        long cExtent = lastImage * images.CImageStride + (long)(m - 1) * ldc + images.Width;
        var ends = new BufferEnds(c + cExtent, epilogue.Residual == null ? null : epilogue.Residual + lastImage * images.CImageStride
            + (long)(m - 1) * epilogue.ResidualStride + images.Width);
        Parallelism.ForChunks(0, gridM * gridN, gridM * gridN, (first, last) =>
        {
            for (int t = first; t < last; t++)
            {
                int row0 = (int)((long)panelsM * (t / gridN) / gridM) * mr;
                int row1 = Math.Min(m, (int)((long)panelsM * (t / gridN + 1) / gridM) * mr);
                int col0 = (int)((long)slivers * (t % gridN) / gridN) * nr, col1 = Math.Min(n, (int)((long)slivers * (t % gridN + 1) / gridN) * nr);
                RunImagesSerial(op, transposeA, row1 - row0, k, transposeA ? a + row0 : a + (long)row0 * lda, lda, b, ldb, bEnd, beta,
                    c + (long)row0 * ldc, ldc, ends, images, epilogue.Offset(row0, 0), packed.FromRow(row0), col0, col1, prologue);
            }
        });
    }

    /// <summary>Columns [<paramref name="col0"/>, <paramref name="col1"/>) of the side-by-side product on the calling thread.</summary>
    private static void RunImagesSerial<TOp>(TOp op, bool transposeA, int m, int k, float* a, int lda, float* b, int ldb, float* bEnd, float beta, float* c, int ldc,
        BufferEnds ends, ImageColumns images, GemmEpilogue epilogue, PackedPanels packed, int col0, int col1, GemmPrologue prologue)
        where TOp : struct, IUnaryOperator
    {
        bool hasEpilogue = !epilogue.IsNone;
        int mr = TKernel.Mr, nr = TKernel.Nr, n = col1 - col0;
        int mcMax = Math.Min(Math.Max(1, Mc / mr) * mr, RoundUp(m, mr));
        int kcMax = Math.Min(Kc, k);
        int blockColumns = m > Mc ? Nc : Math.Max(nr, ImagesBlockBytes / (kcMax * sizeof(float)) / nr * nr);
        int ncMax = Math.Min(blockColumns, RoundUp(n, nr));
        bool packA = packed.Data == null;
        using var aBuffer = new ScratchBuffer(packA ? mcMax * kcMax : 0);
        using var bBuffer = new ScratchBuffer(ncMax * kcMax);
        float* aPack = aBuffer.Pointer, bPack = bBuffer.Pointer;
        float* tile = stackalloc float[mr * nr];
        // Each sliver's image and first pixel in the block, found by stepping rather than by a division per tile
        // (which cost as much as a shallow tile's products).
        int* sliverImage = stackalloc int[ncMax / nr], sliverPixel = stackalloc int[ncMax / nr];
        for (int jc = 0; jc < n; jc += blockColumns)
        {
            int nc = Math.Min(blockColumns, n - jc);
            int image = (col0 + jc) / images.Width, pixel = (col0 + jc) % images.Width;
            for (int s = 0; s < (nc + nr - 1) / nr; s++)
            {
                sliverImage[s] = image;
                sliverPixel[s] = pixel;
                pixel += nr;
                while (pixel >= images.Width)
                {
                    pixel -= images.Width;
                    image++;
                }
            }
            for (int pc = 0; pc < k; pc += Kc)
            {
                int kc = Math.Min(Kc, k - pc);
                float betaBlock = pc == 0 ? beta : 1f;
                bool lastBlock = hasEpilogue && pc + kc == k;
                PackImageColumns(b, ldb, images, bEnd, pc, kc, col0 + jc, nc, bPack, prologue);
                for (int ic = 0; ic < m; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, m - ic);
                    float* aBlock;
                    if (packA)
                    {
                        PackA(transposeA, a, lda, 1f, ic, mc, pc, kc, aPack);
                        aBlock = aPack;
                    }
                    else
                    {
                        aBlock = PackedRows(packed.Data, packed.PaddedRows, packed.Row0 + ic, pc, kc);
                    }
                    if (GemmLoopOrder.RowPanelsOutermost(kc, nc))
                    {
                        for (int row = 0; row < mc; row += mr)
                            for (int col = 0; col < nc; col += nr)
                                ImageTile(op, kc, aBlock, bPack, row, col, mc, nc, sliverImage[col / nr], sliverPixel[col / nr], c, ldc, images, ends, betaBlock, lastBlock, epilogue, ic, tile);
                    }
                    else
                    {
                        for (int col = 0; col < nc; col += nr)
                            for (int row = 0; row < mc; row += mr)
                                ImageTile(op, kc, aBlock, bPack, row, col, mc, nc, sliverImage[col / nr], sliverPixel[col / nr], c, ldc, images, ends, betaBlock, lastBlock, epilogue, ic, tile);
                    }
                }
            }
        }
    }

    /// <summary>
    /// One micro-tile whose first column is pixel <paramref name="pixel"/> of image <paramref name="image"/>: inside one
    /// image it is an ordinary tile of that image's C; across two it stores each part to its own image.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ImageTile<TOp>(TOp op, int kc, float* aBlock, float* bPack, int row, int col, int mc, int nc, int image, int pixel,
        float* c, int ldc, ImageColumns images, BufferEnds ends, float beta, bool lastBlock, in GemmEpilogue epilogue, int ic, float* tile)
        where TOp : struct, IUnaryOperator
    {
        int mr = TKernel.Mr, nr = TKernel.Nr;
        int split = images.Width - pixel;
        int rows = Math.Min(mr, mc - row), cols = Math.Min(nr, nc - col);
        float* cImage = c + image * images.CImageStride;
        var own = epilogue.ShiftResidual(image * images.CImageStride);
        if (cols <= split)
        {
            // Tile's block origin shifted so that its column `col` is this image's column `pixel`.
            Tile(op, kc, aBlock, bPack + (long)col * kc, TKernel.Nr, row, col, mc, nc, cImage + (long)ic * ldc + pixel - col, ldc, beta, lastBlock, own, ic, pixel - col, tile);
            return;
        }
        int r = ic + row;
        float* cRow = cImage + (long)r * ldc + pixel, cNext = cImage + images.CImageStride + (long)r * ldc;
        var next = epilogue.ShiftResidual((image + 1) * images.CImageStride);
        float* panel = aBlock + (long)row * kc, sliver = bPack + (long)col * kc;
        if (rows == mr && cols == nr && typeof(TKernel) == typeof(MicroKernel512))
        {
            // Whole-vector reads of C and the residual spill past this image's rows into memory of the same buffer,
            // except at the very end of the last image.
            bool wholeLoads = cRow + (mr - 1) * ldc + nr <= ends.C
                && (own.Residual == null || own.Residual + (long)(r + mr - 1) * own.ResidualStride + pixel + nr <= ends.Residual);
            if (lastBlock)
            {
                MicroKernel512.RunSplit(kc, panel, sliver, cRow, cNext, split, ldc, beta, own.RowBias == null ? null : own.RowBias + r,
                    own.Residual == null ? null : own.Residual + r * own.ResidualStride + pixel,
                    next.Residual == null ? null : next.Residual + r * next.ResidualStride, own.ResidualStride, wholeLoads, op);
            }
            else
            {
                MicroKernel512.RunSplit(kc, panel, sliver, cRow, cNext, split, ldc, beta, null, null, null, 0, wholeLoads, default(IdentityOperator));
            }
            return;
        }
        TKernel.Run(kc, panel, sliver, tile, nr, 0f);
        MergeEdge(tile, nr, rows, split, cRow, ldc, beta);
        MergeEdge(tile + split, nr, rows, cols - split, cNext, ldc, beta);
        if (!lastBlock) return;
        own.ApplyTile(op, cRow, ldc, r, pixel, rows, split);
        next.ApplyTile(op, cNext, ldc, r, 0, rows, cols - split);
    }

    /// <summary>
    /// Packs rows [pc, pc + kc) of columns [<paramref name="column0"/>, column0 + nc) of the side-by-side B into
    /// 32-wide slivers, as <see cref="PackB"/> lays them out: a sliver that spans two images takes its first lanes
    /// from one image's row and the rest from the next's; columns past the end are zero. <paramref name="bEnd"/> is the
    /// end of the last image's B: no load reaches past it. A <paramref name="prologue"/> transforms each row's values
    /// (<see cref="GemmPrologue"/>); the columns past the end stay zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackImageColumns(float* b, int ldb, ImageColumns images, float* bEnd, int pc, int kc, int column0, int nc, float* dst,
        GemmPrologue prologue)
    {
        if (typeof(TKernel) == typeof(MicroKernel256))
        {
            PackImageColumns16(b, ldb, images, bEnd, pc, kc, column0, nc, dst, prologue);
            return;
        }
        bool normalizes = !prologue.IsNone;
        const int nr = 32;
        for (int col = 0; col < nc; col += nr)
        {
            int valid = Math.Min(nr, nc - col), column = column0 + col;
            int image = column / images.Width, pixel = column % images.Width, own = Math.Min(valid, images.Width - pixel);
            float* src = b + image * images.BImageStride + (long)pc * ldb + pixel;
            float* sliver = dst + (long)col * kc;
            var ownPrologue = prologue.ForImage(image);
            if (own == nr)
            {
                bool prefetch = SliverPrefetch.Applies(col, nr, nc);
                for (int p = 0; p < kc; p++, src += ldb)
                {
                    if (prefetch) SliverPrefetch.Next(src, nr);
                    var low = Vector512.Load(src);
                    var high = Vector512.Load(src + 16);
                    if (normalizes)
                    {
                        low = ownPrologue.Apply(low, pc + p);
                        high = ownPrologue.Apply(high, pc + p);
                    }
                    low.Store(sliver + p * nr);
                    high.Store(sliver + p * nr + 16);
                }
                continue;
            }
            // Lane j past `own` reads column j - own of the next image's row.
            float* next = b + (image + 1) * images.BImageStride + (long)pc * ldb - own;
            Vector512<float> own0 = LaneMasks.FirstLanes(own), own1 = LaneMasks.FirstLanes(own - 16);
            Vector512<float> next0 = LaneMasks.FirstLanes(valid) & ~own0, next1 = LaneMasks.FirstLanes(valid - 16) & ~own1;
            var nextPrologue = prologue.ForImage(image + 1);
            for (int p = 0; p < kc; p++, src += ldb, next += ldb)
            {
                if (valid == nr && src + nr <= bEnd)
                {
                    // Whole loads and a blend: masked loads ran this packing at half the speed on Zen 5. Both loads stay
                    // inside B: the next image's row holds at least a sliver, and this one's spill ends before bEnd.
                    Vector512<float> ownLow = Vector512.Load(src), ownHigh = Vector512.Load(src + 16);
                    Vector512<float> nextLow = Vector512.Load(next), nextHigh = Vector512.Load(next + 16);
                    if (normalizes)
                    {
                        // Each image's part through its own prologue (its own gate scales).
                        ownLow = ownPrologue.Apply(ownLow, pc + p);
                        ownHigh = ownPrologue.Apply(ownHigh, pc + p);
                        nextLow = nextPrologue.Apply(nextLow, pc + p);
                        nextHigh = nextPrologue.Apply(nextHigh, pc + p);
                    }
                    Vector512.ConditionalSelect(own0, ownLow, nextLow).Store(sliver + p * nr);
                    Vector512.ConditionalSelect(own1, ownHigh, nextHigh).Store(sliver + p * nr + 16);
                    continue;
                }
                var partOwnLow = Avx512F.MaskLoad(src, own0, Vector512<float>.Zero);
                var partOwnHigh = Avx512F.MaskLoad(src + 16, own1, Vector512<float>.Zero);
                var partNextLow = Avx512F.MaskLoad(next, next0, Vector512<float>.Zero);
                var partNextHigh = Avx512F.MaskLoad(next + 16, next1, Vector512<float>.Zero);
                if (normalizes)
                {
                    // Only the lanes that hold columns; the ones past the end stay zero.
                    partOwnLow = ownPrologue.Apply(partOwnLow, pc + p) & own0;
                    partOwnHigh = ownPrologue.Apply(partOwnHigh, pc + p) & own1;
                    // The next image's scales are read only where it has columns here: past the last image there are none.
                    if (valid > own)
                    {
                        partNextLow = nextPrologue.Apply(partNextLow, pc + p) & next0;
                        partNextHigh = nextPrologue.Apply(partNextHigh, pc + p) & next1;
                    }
                }
                (partOwnLow | partNextLow).Store(sliver + p * nr);
                (partOwnHigh | partNextHigh).Store(sliver + p * nr + 16);
            }
        }
    }

    /// <summary>
    /// <see cref="PackImageColumns"/> for the AVX2 kernel's 16-wide slivers: whole slivers as two vector loads, a sliver
    /// that spans two images as whole loads from both rows blended by lane (where both stay inside B), else lane by lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackImageColumns16(float* b, int ldb, ImageColumns images, float* bEnd, int pc, int kc, int column0, int nc, float* dst,
        GemmPrologue prologue)
    {
        bool normalizes = !prologue.IsNone;
        const int nr = 16;
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        for (int col = 0; col < nc; col += nr)
        {
            int valid = Math.Min(nr, nc - col), column = column0 + col;
            int image = column / images.Width, pixel = column % images.Width, own = Math.Min(valid, images.Width - pixel);
            float* src = b + image * images.BImageStride + (long)pc * ldb + pixel;
            float* sliver = dst + (long)col * kc;
            var ownPrologue = prologue.ForImage(image);
            if (own == nr)
            {
                bool prefetch = SliverPrefetch.Applies(col, nr, nc);
                for (int p = 0; p < kc; p++, src += ldb)
                {
                    if (prefetch) SliverPrefetch.Next(src, nr);
                    var low = Vector256.Load(src);
                    var high = Vector256.Load(src + 8);
                    if (normalizes)
                    {
                        low = ownPrologue.Apply(low, pc + p);
                        high = ownPrologue.Apply(high, pc + p);
                    }
                    low.Store(sliver + p * nr);
                    high.Store(sliver + p * nr + 8);
                }
                continue;
            }
            // Lane j past `own` reads column j - own of the next image's row.
            float* next = b + (image + 1) * images.BImageStride + (long)pc * ldb - own;
            var ownLow = Vector256.LessThan(lanes, Vector256.Create(own)).AsSingle();
            var ownHigh = Vector256.LessThan(lanes + Vector256.Create(8), Vector256.Create(own)).AsSingle();
            var nextPrologue = prologue.ForImage(image + 1);
            for (int p = 0; p < kc; p++, src += ldb, next += ldb)
            {
                float* d = sliver + p * nr;
                if (valid == nr && src + nr <= bEnd)
                {
                    // Both loads stay inside B: the next image's row holds at least a sliver, and this one's spill ends before bEnd.
                    Vector256<float> a0 = Vector256.Load(src), a1 = Vector256.Load(src + 8);
                    Vector256<float> n0 = Vector256.Load(next), n1 = Vector256.Load(next + 8);
                    if (normalizes)
                    {
                        // Each image's part through its own prologue (its own gate scales).
                        a0 = ownPrologue.Apply(a0, pc + p);
                        a1 = ownPrologue.Apply(a1, pc + p);
                        n0 = nextPrologue.Apply(n0, pc + p);
                        n1 = nextPrologue.Apply(n1, pc + p);
                    }
                    Vector256.ConditionalSelect(ownLow, a0, n0).Store(d);
                    Vector256.ConditionalSelect(ownHigh, a1, n1).Store(d + 8);
                    continue;
                }
                int j = 0;
                for (; j < own; j++) d[j] = normalizes ? ownPrologue.Apply(src[j], pc + p) : src[j];
                for (; j < valid; j++) d[j] = normalizes ? nextPrologue.Apply(next[j], pc + p) : next[j];
                for (; j < nr; j++) d[j] = 0;
            }
        }
    }

    /// <summary>Where C and the residual (null if none) of the last image end: reads stop there.</summary>
    private readonly struct BufferEnds(float* c, float* residual)
    {
        public float* C { get; } = c;

        public float* Residual { get; } = residual;
    }
}

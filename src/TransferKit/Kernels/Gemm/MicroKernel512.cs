using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// An 8 x 32 tile in sixteen 512-bit accumulators: per step of k, two loads of B, eight broadcasts of A and
/// sixteen FMAs. Sixteen independent chains cover the FMA latency of two 512-bit pipes (4 cycles x 2 pipes = 8
/// needed), and the 19 live registers leave room in the 32 zmm registers.
/// </summary>
internal readonly unsafe struct MicroKernel512 : IGemmMicroKernel
{
    public static int Mr => 8;

    public static int Nr => 32;

    public static bool PacksBFloat16Pairs => false;

    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float beta) =>
        Run(kc, a, b, Nr, c, ldc, new PlainRows(beta));

    /// <summary>
    /// As <see cref="Run(int, float*, float*, float*, nint, float)"/> with B read where it lies, its kc rows of 32
    /// values <paramref name="bStride"/> floats apart instead of packed: for products whose B is used by so few rows of
    /// A that packing it would cost more than the products (<see cref="BlockedGemm{TKernel}.ReadsBInPlace"/>).
    /// </summary>
    public static void RunStrided(int kc, float* a, float* b, nint bStride, float* c, nint ldc, float beta) =>
        Run(kc, a, b, bStride, c, ldc, new PlainRows(beta));

    /// <summary>
    /// As <see cref="Run(int, float*, float*, float*, nint, float)"/> for the last block of k, with the epilogue applied to
    /// the accumulators before they are stored: C[i, j] = op(acc + beta C[i, j] + rowBias[i] + residual[i, j]), the same
    /// operations in the same order as <see cref="GemmEpilogue.ApplyTile"/> over the stored tile, without reading the
    /// tile back. <c>rowBias</c> points at the tile's 8 row biases and <c>residual</c> at its residual rows (row stride
    /// <c>residualStride</c>); either may be null.
    /// </summary>
    public static void RunFused<TOp>(int kc, float* a, float* b, float* c, nint ldc, float beta, float* rowBias, float* residual,
        long residualStride, TOp op, nint bStride = 32) where TOp : struct, IUnaryOperator =>
        Run(kc, a, b, bStride, c, ldc, new FusedRows<TOp>(beta, rowBias, residual, residualStride, op));

    /// <summary>
    /// As <see cref="RunFused"/> for a tile whose columns belong to two images laid side by side (<see cref="ImageColumns"/>):
    /// columns [0, <paramref name="split"/>) go to <paramref name="c"/> (the first image's row start for this tile) and
    /// columns [split, 32) to <paramref name="cNext"/> (the next image's row start), and likewise for the residual
    /// rows, with masked stores instead of a tile computed off to the side and copied. Both destinations share the row
    /// stride <paramref name="ldc"/>; <paramref name="split"/> is 1 to 31. With <paramref name="wholeLoads"/> the reads
    /// of C and the residual are whole vectors from both places, blended: the caller vouches that 32 floats from each
    /// row's start and from 32 floats before each next row's start lie inside their buffers (masked loads cost twice
    /// as much on Zen 5); without it they are masked.
    /// </summary>
    public static void RunSplit<TOp>(int kc, float* a, float* b, float* c, float* cNext, int split, nint ldc, float beta, float* rowBias,
        float* residual, float* residualNext, long residualStride, bool wholeLoads, TOp op) where TOp : struct, IUnaryOperator =>
        Run(kc, a, b, Nr, c, ldc, new SplitRows<TOp>(beta, rowBias, residual, residualNext, residualStride, (nint)(cNext - c), split, wholeLoads, op));

    /// <summary>
    /// Whether a tile at least <see cref="PrefetchMinDepth"/> deep first asks for the cache lines it will write and add
    /// (C, the residual), so that their misses overlap the tile's products instead of following them: ResNet-50 at batch
    /// 16 1.04x-1.06x (its 128->512 1x1 layers with a residual 1.25x), the others 0.98x-1.03x; benchmarks turn it off to
    /// compare (<c>prefetch-networks</c>).
    /// </summary>
    internal static bool PrefetchesTileRows { get; set; } = true;

    /// <summary>
    /// Least depth for which the prefetch pays: shallower tiles (MobileNet's 16- to 32-channel 1x1 layers) end before the
    /// lines arrive, and their 32 prefetches cost 0.95x.
    /// </summary>
    internal const int PrefetchMinDepth = 64;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TRows>(int kc, float* a, float* b, nint bStride, float* c, nint ldc, TRows rows) where TRows : struct, IRowStore
    {
        if (PrefetchesTileRows && kc >= PrefetchMinDepth)
        {
            for (int i = 0; i < 8; i++)
            {
                float* row = c + i * ldc;
                Sse.Prefetch0(row);
                Sse.Prefetch0(row + 16);
                rows.Prefetch(i);
            }
        }
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> av = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(av, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(av, b1, c01);
            av = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(av, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(av, b1, c11);
            av = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(av, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(av, b1, c21);
            av = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(av, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(av, b1, c31);
            av = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(av, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(av, b1, c41);
            av = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(av, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(av, b1, c51);
            av = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(av, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(av, b1, c61);
            av = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(av, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(av, b1, c71);
            a += 8;
            b += bStride;
        }
        rows.Store(0, c, c00, c01);
        rows.Store(1, c + ldc, c10, c11);
        rows.Store(2, c + 2 * ldc, c20, c21);
        rows.Store(3, c + 3 * ldc, c30, c31);
        rows.Store(4, c + 4 * ldc, c40, c41);
        rows.Store(5, c + 5 * ldc, c50, c51);
        rows.Store(6, c + 6 * ldc, c60, c61);
        rows.Store(7, c + 7 * ldc, c70, c71);
    }

    /// <summary>acc + beta C for one row of the tile (C not read when beta is 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>) AddScaledC(float beta, float* c, Vector512<float> x0, Vector512<float> x1)
    {
        if (beta == 0) return (x0, x1);
        var vb = Vector512.Create(beta);
        return (Vector512.FusedMultiplyAdd(vb, Vector512.Load(c), x0), Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 16), x1));
    }

    /// <summary>How a finished row of the tile (two vectors of accumulators) goes to C.</summary>
    private interface IRowStore
    {
        void Store(int row, float* c, Vector512<float> x0, Vector512<float> x1);

        /// <summary>Asks for the lines of <paramref name="row"/> that <see cref="Store"/> will read besides C.</summary>
        void Prefetch(int row);
    }

    /// <summary>C = acc + beta C.</summary>
    private readonly struct PlainRows(float beta) : IRowStore
    {
        public void Prefetch(int row)
        {
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(int row, float* c, Vector512<float> x0, Vector512<float> x1)
        {
            (x0, x1) = AddScaledC(beta, c, x0, x1);
            x0.Store(c);
            x1.Store(c + 16);
        }
    }

    /// <summary>
    /// C = op(acc + beta C + bias + residual) over two images: lanes before the split are read and written at the row's
    /// own address, the others at the next image's (<c>nextOffset</c> floats further on, less the split, so that lane
    /// j lands on column j - split there). Masked-off lanes are neither read nor written, so the addresses they would
    /// name need not exist.
    /// </summary>
    private readonly struct SplitRows<TOp>(float beta, float* rowBias, float* residual, float* residualNext, long residualStride,
        nint nextOffset, int split, bool wholeLoads, TOp op) : IRowStore where TOp : struct, IUnaryOperator
    {
        private readonly Vector512<float> _first0 = LaneMasks.FirstLanes(split), _first1 = LaneMasks.FirstLanes(split - 16);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Prefetch(int row)
        {
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(int row, float* c, Vector512<float> x0, Vector512<float> x1)
        {
            float* next = c + nextOffset - split;
            if (beta != 0)
            {
                var vb = Vector512.Create(beta);
                x0 = Vector512.FusedMultiplyAdd(vb, Load(c, next, _first0), x0);
                x1 = Vector512.FusedMultiplyAdd(vb, Load(c + 16, next + 16, _first1), x1);
            }
            var bias = Vector512.Create(rowBias == null ? 0f : rowBias[row]);
            x0 += bias;
            x1 += bias;
            if (residual != null)
            {
                float* r = residual + row * residualStride, rNext = residualNext + row * residualStride - split;
                x0 += Load(r, rNext, _first0);
                x1 += Load(r + 16, rNext + 16, _first1);
            }
            Store(c, next, _first0, op.Invoke(x0));
            Store(c + 16, next + 16, _first1, op.Invoke(x1));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Vector512<float> Load(float* own, float* next, Vector512<float> first) => wholeLoads
            ? Vector512.ConditionalSelect(first, Vector512.Load(own), Vector512.Load(next))
            : Avx512F.MaskLoad(own, first, Vector512<float>.Zero) | Avx512F.MaskLoad(next, ~first, Vector512<float>.Zero);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(float* own, float* next, Vector512<float> first, Vector512<float> value)
        {
            Avx512F.MaskStore(own, first, value);
            Avx512F.MaskStore(next, ~first, value);
        }
    }

    /// <summary>C = op(acc + beta C + bias + residual).</summary>
    private readonly struct FusedRows<TOp>(float beta, float* rowBias, float* residual, long residualStride, TOp op) : IRowStore
        where TOp : struct, IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Prefetch(int row)
        {
            if (residual == null) return;
            float* r = residual + row * residualStride;
            Sse.Prefetch0(r);
            Sse.Prefetch0(r + 16);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(int row, float* c, Vector512<float> x0, Vector512<float> x1)
        {
            (x0, x1) = AddScaledC(beta, c, x0, x1);
            var bias = Vector512.Create(rowBias == null ? 0f : rowBias[row]);
            x0 += bias;
            x1 += bias;
            if (residual != null)
            {
                float* r = residual + row * residualStride;
                x0 += Vector512.Load(r);
                x1 += Vector512.Load(r + 16);
            }
            op.Invoke(x0).Store(c);
            op.Invoke(x1).Store(c + 16);
        }
    }
}

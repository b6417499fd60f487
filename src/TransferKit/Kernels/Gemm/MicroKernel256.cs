using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// A 6 x 16 tile in twelve 256-bit accumulators (the AVX2 shape: 12 accumulators, 2 B vectors and a broadcast
/// fill 15 of the 16 ymm registers).
/// </summary>
internal readonly unsafe struct MicroKernel256 : IGemmMicroKernel
{
    public static int Mr => 6;

    public static int Nr => 16;

    public static bool PacksBFloat16Pairs => false;

    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float beta) =>
        Run(kc, a, b, Nr, c, ldc, beta, null, null, 0, default(IdentityOperator), fused: false, Mr);

    /// <summary>
    /// As <see cref="Run(int, float*, float*, float*, nint, float)"/> with B's kc rows of 16 values
    /// <paramref name="bStride"/> floats apart instead of packed (<see cref="BlockedGemm{TKernel}.ReadsBInPlace"/>).
    /// </summary>
    public static void RunStrided(int kc, float* a, float* b, nint bStride, float* c, nint ldc, float beta) =>
        Run(kc, a, b, bStride, c, ldc, beta, null, null, 0, default(IdentityOperator), fused: false, Mr);

    /// <summary>
    /// As <see cref="RunStrided"/> storing only the first <paramref name="rows"/> (1 to 6) rows of the tile: whole tiles,
    /// and the last row tile of a product whose row count is not a multiple of 6 (64, 128, 256 and 512 output channels
    /// all leave one), stored in place instead of through a tile off to the side and a scalar copy.
    /// </summary>
    public static void RunRows(int kc, float* a, float* b, nint bStride, float* c, nint ldc, float beta, int rows) =>
        Run(kc, a, b, bStride, c, ldc, beta, null, null, 0, default(IdentityOperator), fused: false, rows);

    /// <summary>
    /// <see cref="Run(int, float*, float*, float*, nint, float)"/> with the GEMM epilogue applied to the accumulators
    /// before the one store of each row: op(acc + beta * C + rowBias[i] + residual[i * residualStride + j]), the
    /// operations of <see cref="GemmEpilogue.ApplyTile"/> over the stored tile in the same order, so the bits agree.
    /// <paramref name="rowBias"/> holds the tile's Mr row biases (or is null); <paramref name="residual"/> points at the
    /// residual's first row for this tile (or is null), its rows <paramref name="residualStride"/> floats apart. B's rows
    /// lie <paramref name="bStride"/> floats apart (16 where packed). Only the first <paramref name="rows"/> rows are read
    /// from and stored (see <see cref="RunRows"/>).
    /// </summary>
    public static void RunFused<TOp>(int kc, float* a, float* b, float* c, nint ldc, float beta, float* rowBias, float* residual,
        long residualStride, TOp op, nint bStride = 16, int rows = 6) where TOp : struct, IUnaryOperator =>
        Run(kc, a, b, bStride, c, ldc, beta, rowBias, residual, residualStride, op, fused: true, rows);

    /// <summary>
    /// The first 8 of the 16 columns of a packed sliver (B's rows <paramref name="bStride"/> floats apart) by 6 rows,
    /// stored over c's first 8 columns: a last sliver of 5 to 8 columns then costs half a tile's products. The same sums in
    /// the same order as the whole tile's first 8 columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunHalf(int kc, float* a, float* b, nint bStride, float* c, nint ldc)
    {
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            c0 = Vector256.FusedMultiplyAdd(Vector256.Create(a[0]), b0, c0);
            c1 = Vector256.FusedMultiplyAdd(Vector256.Create(a[1]), b0, c1);
            c2 = Vector256.FusedMultiplyAdd(Vector256.Create(a[2]), b0, c2);
            c3 = Vector256.FusedMultiplyAdd(Vector256.Create(a[3]), b0, c3);
            c4 = Vector256.FusedMultiplyAdd(Vector256.Create(a[4]), b0, c4);
            c5 = Vector256.FusedMultiplyAdd(Vector256.Create(a[5]), b0, c5);
            a += 6;
            b += bStride;
        }
        c0.Store(c);
        c1.Store(c + ldc);
        c2.Store(c + 2 * ldc);
        c3.Store(c + 3 * ldc);
        c4.Store(c + 4 * ldc);
        c5.Store(c + 5 * ldc);
    }

    /// <summary>
    /// As <see cref="RunHalf"/> for the first 4 columns: a last sliver of at most 4 columns (one of a 7x7 image's 49, one of
    /// a 17x17 image's 289) costs a quarter of a tile's products.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunQuarter(int kc, float* a, float* b, nint bStride, float* c, nint ldc)
    {
        Vector128<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector128<float> b0 = Vector128.Load(b);
            c0 = Vector128.FusedMultiplyAdd(Vector128.Create(a[0]), b0, c0);
            c1 = Vector128.FusedMultiplyAdd(Vector128.Create(a[1]), b0, c1);
            c2 = Vector128.FusedMultiplyAdd(Vector128.Create(a[2]), b0, c2);
            c3 = Vector128.FusedMultiplyAdd(Vector128.Create(a[3]), b0, c3);
            c4 = Vector128.FusedMultiplyAdd(Vector128.Create(a[4]), b0, c4);
            c5 = Vector128.FusedMultiplyAdd(Vector128.Create(a[5]), b0, c5);
            a += 6;
            b += bStride;
        }
        c0.Store(c);
        c1.Store(c + ldc);
        c2.Store(c + 2 * ldc);
        c3.Store(c + 3 * ldc);
        c4.Store(c + 4 * ldc);
        c5.Store(c + 5 * ldc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TOp>(int kc, float* a, float* b, nint bStride, float* c, nint ldc, float beta, float* rowBias, float* residual,
        long residualStride, TOp op, bool fused, int rows) where TOp : struct, IUnaryOperator
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> av = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(av, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(av, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(av, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(av, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(av, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(av, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(av, b1, c51);
            a += 6;
            b += bStride;
        }
        Vector256<float> vb = Vector256.Create(beta);
        if (!fused)
        {
            StoreRow(c, c00, c01, vb, beta);
            if (rows > 1) StoreRow(c + ldc, c10, c11, vb, beta);
            if (rows > 2) StoreRow(c + 2 * ldc, c20, c21, vb, beta);
            if (rows > 3) StoreRow(c + 3 * ldc, c30, c31, vb, beta);
            if (rows > 4) StoreRow(c + 4 * ldc, c40, c41, vb, beta);
            if (rows > 5) StoreRow(c + 5 * ldc, c50, c51, vb, beta);
            return;
        }
        var stored = new BesideAccumulators<TOp>(op);
        StoreFusedRow(0, c, c00, c01, vb, beta, rowBias, residual, residualStride, stored);
        if (rows > 1) StoreFusedRow(1, c + ldc, c10, c11, vb, beta, rowBias, residual, residualStride, stored);
        if (rows > 2) StoreFusedRow(2, c + 2 * ldc, c20, c21, vb, beta, rowBias, residual, residualStride, stored);
        if (rows > 3) StoreFusedRow(3, c + 3 * ldc, c30, c31, vb, beta, rowBias, residual, residualStride, stored);
        if (rows > 4) StoreFusedRow(4, c + 4 * ldc, c40, c41, vb, beta, rowBias, residual, residualStride, stored);
        if (rows > 5) StoreFusedRow(5, c + 5 * ldc, c50, c51, vb, beta, rowBias, residual, residualStride, stored);
        if (!FusedEpilogue.FitsBesideAccumulators<TOp>()) ActivateStoredTile(c, ldc, rows, op);
    }

    /// <summary>
    /// The activation applied before the store where it <see cref="FusedEpilogue.FitsBesideAccumulators{TOp}"/>, the
    /// identity where it does not (then <see cref="ActivateStoredTile{TOp}"/> follows); a JIT-time choice per operator.
    /// </summary>
    private readonly struct BesideAccumulators<TOp>(TOp op) : IUnaryOperator where TOp : struct, IUnaryOperator
    {
        public float Invoke(float x) => FusedEpilogue.FitsBesideAccumulators<TOp>() ? op.Invoke(x) : x;

        public Vector256<float> Invoke(Vector256<float> x) => FusedEpilogue.FitsBesideAccumulators<TOp>() ? op.Invoke(x) : x;

        public Vector512<float> Invoke(Vector512<float> x) => FusedEpilogue.FitsBesideAccumulators<TOp>() ? op.Invoke(x) : x;
    }

    /// <summary>
    /// The activation over the tile just stored, still in L1, in a method of its own: inside <see cref="Run{TOp}"/> an
    /// exp-based activation's dozen constants and temporaries spilled around the twelve accumulators, which made SiLU
    /// cost twice the products of EfficientNet's stem (20.1 against 9.5 ms with ReLU for 16 images on AVX2 Zen 3).
    /// Storing and reloading is exact, so the bits are those of applying it to the accumulators.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ActivateStoredTile<TOp>(float* c, nint ldc, int rows, TOp op) where TOp : struct, IUnaryOperator
    {
        for (int i = 0; i < rows; i++, c += ldc)
        {
            op.Invoke(Vector256.Load(c)).Store(c);
            op.Invoke(Vector256.Load(c + 8)).Store(c + 8);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector256<float> x0, Vector256<float> x1, Vector256<float> vb, float beta)
    {
        if (beta != 0)
        {
            x0 = Vector256.FusedMultiplyAdd(vb, Vector256.Load(c), x0);
            x1 = Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + 8), x1);
        }
        x0.Store(c);
        x1.Store(c + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFusedRow<TOp>(int i, float* c, Vector256<float> x0, Vector256<float> x1, Vector256<float> vb, float beta,
        float* rowBias, float* residual, long residualStride, TOp op) where TOp : struct, IUnaryOperator
    {
        if (beta != 0)
        {
            x0 = Vector256.FusedMultiplyAdd(vb, Vector256.Load(c), x0);
            x1 = Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + 8), x1);
        }
        var bias = Vector256.Create(rowBias == null ? 0f : rowBias[i]);
        x0 += bias;
        x1 += bias;
        if (residual != null)
        {
            float* r = residual + i * residualStride;
            x0 += Vector256.Load(r);
            x1 += Vector256.Load(r + 8);
        }
        op.Invoke(x0).Store(c);
        op.Invoke(x1).Store(c + 8);
    }
}

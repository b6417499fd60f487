using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// The three transforms of F(4x4, 3x3) with the points 0, ±1, ±2: U = G g G^T on the weights, V = B^T d B on 6x6
/// input tiles and Y = A^T m A on the 6x6 products, with
/// <code>
/// B^T = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]
/// G   = [1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6; 1/24 1/12 1/6; 1/24 -1/12 1/6; 0 0 1]
/// A^T = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]
/// </code>
/// Element (r, c) of a 6x6 transform lives in matrix k = 6r + c. The input and output transforms run over one tile row
/// at a time, vectorised across its tiles: each input row is split into its four column phases first (phase p holds
/// columns 4j + p), so that the six columns of tile tx are phases 0-3 at tx and phases 0-1 at tx + 1, each a
/// contiguous run over tx; the output rows are interleaved back from four phases the same way.
/// </summary>
[SkipLocalsInit]
internal static unsafe partial class Winograd4x4Conv2d
{
    /// <summary>Tiles of one tile row handled per pass, bounding the staging on the stack (about 6 KiB).</summary>
    private const int SegmentTiles = 64;

    /// <summary>
    /// U[k] for every (co, ci) pair, packed as the 8x32 tile reads its left operand: panel q of U[k] holds
    /// [InChannels][8] values for output channels 8q..8q+7, rows past OutChannels zero. Computed in double and
    /// rounded once, since G's sixths and twenty-fourths would otherwise add roundings of their own.
    /// </summary>
    private static void TransformWeights(in Conv2dGeometry g, float* weight, float* u)
    {
        int cout = g.OutChannels, cin = g.InChannels, rows = RoundUp(cout, Mr);
        long matrix = (long)rows * cin;
        if (rows > cout)
            for (int k = 0; k < Products; k++)
                for (int ci = 0; ci < cin; ci++)
                    new Span<float>(u + k * matrix + (long)(rows - Mr) * cin + (long)ci * Mr + cout % Mr, rows - cout).Clear();
        Parallelism.For(0, cout, co =>
        {
            double* h = stackalloc double[TileSide * 3];
            double* row = stackalloc double[TileSide];
            float* panel = u + (long)(co / Mr) * Mr * cin + co % Mr;
            for (int ci = 0; ci < cin; ci++)
            {
                float* w = weight + ((long)co * cin + ci) * 9;
                for (int c = 0; c < 3; c++) Interpolate(w[c], w[3 + c], w[6 + c], h + c, 3);
                for (int r = 0; r < TileSide; r++)
                {
                    Interpolate(h[3 * r], h[3 * r + 1], h[3 * r + 2], row, 1);
                    for (int c = 0; c < TileSide; c++) panel[(TileSide * r + c) * matrix + (long)ci * Mr] = (float)row[c];
                }
            }
        }, Math.Max(1, 4096 / cin));
    }

    /// <summary>G times (g0, g1, g2): six values at <paramref name="stride"/> apart.</summary>
    private static void Interpolate(double g0, double g1, double g2, double* dst, int stride)
    {
        dst[0] = g0 / 4;
        dst[stride] = -(g0 + g1 + g2) / 6;
        dst[2 * stride] = -(g0 - g1 + g2) / 6;
        dst[3 * stride] = g0 / 24 + g1 / 12 + g2 / 6;
        dst[4 * stride] = g0 / 24 - g1 / 12 + g2 / 6;
        dst[5 * stride] = g2;
    }

    /// <summary>
    /// V[k][ci, t] for the tiles of tile rows [<paramref name="firstUnit"/>, + <paramref name="units"/>) (a unit is one
    /// tile row of one image; tile t = (unit - firstUnit) * tilesX + tx), rows <paramref name="columns"/> floats long;
    /// the columns from <paramref name="tiles"/> on are zeroed, since the products read whole slivers.
    /// </summary>
    private static void TransformInput(Conv2dGeometry g, float* input, int firstUnit, int units, int tilesX, float* v, int tiles, int columns)
    {
        int tilesY = (g.OutHeight + OutputSide - 1) / OutputSide, cin = g.InChannels;
        var chunks = new TileChunks(units, tilesX);
        long plane = (long)g.InHeight * g.InWidth, kStride = (long)cin * columns;
        Parallelism.For(0, cin * chunks.Count, item =>
        {
            int ci = item / chunks.Count, chunk = item % chunks.Count;
            InputChunk(g, input, ci, firstUnit, tilesY, chunks, chunk, v + (long)ci * columns, kStride);
            if (chunk == chunks.Count - 1 && columns > tiles)
                for (int k = 0; k < Products; k++) new Span<float>(v + (long)ci * columns + k * kStride + tiles, columns - tiles).Clear();
        }, 2);
    }

    /// <summary>
    /// A block's tiles cut into chunks of at most <see cref="SegmentTiles"/> consecutive tiles, so that the transforms
    /// run whole vectors across tile rows too: several whole units per chunk where a unit has at most that many tiles
    /// (ResNet's 56x56 plane has 14 per row, its 14x14 plane 4), else one segment of one unit.
    /// </summary>
    private readonly struct TileChunks(int units, int tilesX)
    {
        private readonly int _unitsPerChunk = tilesX <= SegmentTiles ? SegmentTiles / tilesX : 1;
        private readonly int _segmentsPerUnit = tilesX <= SegmentTiles ? 1 : (tilesX + SegmentTiles - 1) / SegmentTiles;

        public int TilesX => tilesX;

        public int Count => tilesX <= SegmentTiles ? (units + _unitsPerChunk - 1) / _unitsPerChunk : units * _segmentsPerUnit;

        /// <summary>The pieces of chunk <paramref name="chunk"/>: (local unit, first tile in it, tiles) in tile order.</summary>
        public int Pieces(int chunk, out int firstUnit, out int firstTile, out int lastCount)
        {
            if (tilesX <= SegmentTiles)
            {
                firstUnit = chunk * _unitsPerChunk;
                firstTile = 0;
                lastCount = tilesX;
                return Math.Min(_unitsPerChunk, units - firstUnit);
            }
            firstUnit = chunk / _segmentsPerUnit;
            firstTile = chunk % _segmentsPerUnit * SegmentTiles;
            lastCount = Math.Min(SegmentTiles, tilesX - firstTile);
            return 1;
        }
    }

    /// <summary>Floats between the staged column arrays: a chunk plus the vector loops' overrun.</summary>
    private const int StagingStride = SegmentTiles + 32;

    /// <summary>V for one chunk of tiles of input channel <paramref name="ci"/>; <paramref name="dst"/> is that channel's row of V[0].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputChunk(in Conv2dGeometry g, float* input, int ci, int firstUnit, int tilesY, in TileChunks chunks, int chunk,
        float* dst, long kStride)
    {
        float* staging = stackalloc float[Products * StagingStride];
        float* scratch = stackalloc float[Products * 16];
        int pieces = chunks.Pieces(chunk, out int firstLocal, out int tx0, out int count), tilesX = chunks.TilesX;
        long plane = (long)g.InHeight * g.InWidth;
        for (int piece = 0; piece < pieces; piece++)
        {
            int unit = firstUnit + firstLocal + piece, ty = unit % tilesY, position = piece * count;
            float* channel = input + ((long)(unit / tilesY) * g.InChannels + ci) * plane;
            for (int r = 0; r < TileSide; r++)
            {
                int iy = OutputSide * ty - g.PadHeight + r;
                float* row = iy >= 0 && iy < g.InHeight ? channel + (long)iy * g.InWidth : null;
                StageColumns(row, g.InWidth, OutputSide * tx0 - g.PadWidth, count, staging + TileSide * r * StagingStride + position);
            }
        }
        int tiles = (pieces - 1) * tilesX + count, i = 0;
        float* first = dst + (long)firstLocal * tilesX + tx0;
        for (; i <= tiles - Lanes512.Count; i += Lanes512.Count) InputLanes<Lanes512>(staging + i, first + i, kStride, scratch);
        for (; i <= tiles - Lanes256.Count; i += Lanes256.Count) InputLanes<Lanes256>(staging + i, first + i, kStride, scratch);
        for (; i < tiles; i++) InputLanes<Lanes1>(staging + i, first + i, kStride, scratch);
    }

    /// <summary>
    /// Column c (0..5) of the <paramref name="count"/> tiles of one input row into <paramref name="dst"/> +
    /// c * <see cref="StagingStride"/>: row[x0 + 4j + c], zero outside [0, width) and everywhere for a null (padding) row.
    /// AVX-512 splits the row into its four phases 64 floats at a time with six two-source permutes, loading with a
    /// mask where the 64 floats reach past either end; columns 4 and 5 are phases 0 and 1 one tile on.
    /// </summary>
    private static void StageColumns(float* row, int width, int x0, int count, float* dst)
    {
        int groups = (count + 1 + 15) / 16;
        if (row == null)
        {
            for (int c = 0; c < TileSide; c++)
                for (int j = 0; j < count; j += 16) Vector512<float>.Zero.Store(dst + c * StagingStride + j);
            return;
        }
        Vector512<int> evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        Vector512<int> odds = evens + Vector512<int>.One;
        for (int j = 0; j < 16 * groups; j += 16)
        {
            int x = x0 + OutputSide * j;
            Vector512<float> a = RowVector(row, x, width), b = RowVector(row, x + 16, width);
            Vector512<float> c = RowVector(row, x + 32, width), d = RowVector(row, x + 48, width);
            Vector512<float> evenLow = Avx512F.PermuteVar16x32x2(a, evens, b), oddLow = Avx512F.PermuteVar16x32x2(a, odds, b);
            Vector512<float> evenHigh = Avx512F.PermuteVar16x32x2(c, evens, d), oddHigh = Avx512F.PermuteVar16x32x2(c, odds, d);
            Avx512F.PermuteVar16x32x2(evenLow, evens, evenHigh).Store(dst + j);
            Avx512F.PermuteVar16x32x2(oddLow, evens, oddHigh).Store(dst + StagingStride + j);
            Avx512F.PermuteVar16x32x2(evenLow, odds, evenHigh).Store(dst + 2 * StagingStride + j);
            Avx512F.PermuteVar16x32x2(oddLow, odds, oddHigh).Store(dst + 3 * StagingStride + j);
        }
        // Columns 4 and 5 of tile j are columns 0 and 1 of tile j + 1 (the loop above staged count + 1 of them).
        for (int j = 0; j < count; j += 16)
        {
            Vector512.Load(dst + 1 + j).Store(dst + 4 * StagingStride + j);
            Vector512.Load(dst + StagingStride + 1 + j).Store(dst + 5 * StagingStride + j);
        }
    }

    /// <summary>row[x .. x + 16), zero outside [0, width): a plain load inside, a masked one (no fault past the ends) across them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> RowVector(float* row, int x, int width)
    {
        if (x >= 0 && x + 16 <= width) return Vector512.Load(row + x);
        if (x + 16 <= 0 || x >= width) return Vector512<float>.Zero;
        Vector512<int> positions = Vector512.Create(x) + Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        Vector512<int> inside = Vector512.GreaterThanOrEqual(positions, Vector512<int>.Zero) & Vector512.LessThan(positions, Vector512.Create(width));
        return Avx512F.MaskLoad(row + x, inside.AsSingle(), Vector512<float>.Zero);
    }

    /// <summary>
    /// V = B^T d B for TLanes.Count adjacent tiles: B^T down each of the six columns into <paramref name="scratch"/>,
    /// then B along each of the six rows into the 36 matrices.
    /// </summary>
    private static void InputLanes<T>(float* s, float* dst, long kStride, float* scratch) where T : struct, IWinogradLanes<T>
    {
        int n = T.Count;
        for (int c = 0; c < TileSide; c++)
        {
            float* p = s + c * StagingStride;
            const int rowStride = TileSide * StagingStride;
            InputPoints(T.Load(p), T.Load(p + rowStride), T.Load(p + 2 * rowStride), T.Load(p + 3 * rowStride),
                T.Load(p + 4 * rowStride), T.Load(p + 5 * rowStride), scratch + c * n, TileSide * n);
        }
        for (int r = 0; r < TileSide; r++)
        {
            float* x = scratch + r * TileSide * n;
            InputPoints(T.Load(x), T.Load(x + n), T.Load(x + 2 * n), T.Load(x + 3 * n), T.Load(x + 4 * n), T.Load(x + 5 * n),
                dst + TileSide * r * kStride, kStride);
        }
    }

    /// <summary>B^T times six values, stored <paramref name="step"/> floats apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputPoints<T>(T d0, T d1, T d2, T d3, T d4, T d5, float* dst, long step) where T : struct, IWinogradLanes<T>
    {
        T two = T.Broadcast(2f), four = T.Broadcast(4f), five = T.Broadcast(5f);
        T d4MinusD2 = d4 - d2, twiceD3MinusD1 = two * (d3 - d1);
        (d4 + four * d0 - five * d2).Store(dst);
        (d3 + d4 - four * (d1 + d2)).Store(dst + step);
        (d4 - d3 + four * (d1 - d2)).Store(dst + 2 * step);
        (d4MinusD2 + twiceD3MinusD1).Store(dst + 3 * step);
        (d4MinusD2 - twiceD3MinusD1).Store(dst + 4 * step);
        (d5 + four * d1 - five * d3).Store(dst + 5 * step);
    }

    /// <summary>
    /// Y = A^T m A from M[k][co, t] (36 matrices of <paramref name="kStride"/> floats, rows <paramref name="columns"/>
    /// long) into the NCHW output, clipping the last row and column of tiles where the output side is not a multiple
    /// of 4, then the bias, the residual and the activation over each finished stretch of output row.
    /// </summary>
    private static void TransformOutput(Conv2dGeometry g, float* m, long kStride, int columns, int firstUnit, int units, int tilesX,
        float* bias, float* output, ActivationKind activation, float* residual)
    {
        switch (activation)
        {
            case ActivationKind.Identity: TransformOutput(default(IdentityOperator), g, m, kStride, columns, firstUnit, units, tilesX, bias, output, residual); break;
            case ActivationKind.ReLU: TransformOutput(default(ReluOperator), g, m, kStride, columns, firstUnit, units, tilesX, bias, output, residual); break;
            case ActivationKind.ReLU6: TransformOutput(default(Relu6Operator), g, m, kStride, columns, firstUnit, units, tilesX, bias, output, residual); break;
            case ActivationKind.SiLU: TransformOutput(default(SiluOperator), g, m, kStride, columns, firstUnit, units, tilesX, bias, output, residual); break;
            case ActivationKind.Sigmoid: TransformOutput(default(SigmoidOperator), g, m, kStride, columns, firstUnit, units, tilesX, bias, output, residual); break;
            case ActivationKind.Hardswish: TransformOutput(default(HardswishOperator), g, m, kStride, columns, firstUnit, units, tilesX, bias, output, residual); break;
            case ActivationKind.Tanh: TransformOutput(default(TanhOperator), g, m, kStride, columns, firstUnit, units, tilesX, bias, output, residual); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    private static void TransformOutput<TOp>(TOp op, Conv2dGeometry g, float* m, long kStride, int columns, int firstUnit, int units, int tilesX,
        float* bias, float* output, float* residual) where TOp : struct, IUnaryOperator
    {
        int tilesY = (g.OutHeight + OutputSide - 1) / OutputSide;
        var chunks = new TileChunks(units, tilesX);
        Parallelism.For(0, g.OutChannels * chunks.Count, item =>
        {
            int co = item / chunks.Count, chunk = item % chunks.Count;
            OutputChunk(op, g, m + (long)co * columns, kStride, co, firstUnit, tilesY, chunks, chunk, bias == null ? 0f : bias[co],
                output, residual);
        }, 2);
    }

    /// <summary>One chunk of tiles of output channel <paramref name="co"/>; <paramref name="m"/> is that channel's row of M[0].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OutputChunk<TOp>(TOp op, in Conv2dGeometry g, float* m, long kStride, int co, int firstUnit, int tilesY, in TileChunks chunks,
        int chunk, float bias, float* output, float* residual) where TOp : struct, IUnaryOperator
    {
        float* y = stackalloc float[OutputSide * OutputSide * StagingStride];
        float* scratch = stackalloc float[OutputSide * TileSide * 16];
        int pieces = chunks.Pieces(chunk, out int firstLocal, out int tx0, out int count), tilesX = chunks.TilesX;
        int tiles = (pieces - 1) * tilesX + count, i = 0;
        float* first = m + (long)firstLocal * tilesX + tx0;
        for (; i <= tiles - Lanes512.Count; i += Lanes512.Count) OutputLanes<Lanes512>(first + i, kStride, y + i, scratch);
        for (; i <= tiles - Lanes256.Count; i += Lanes256.Count) OutputLanes<Lanes256>(first + i, kStride, y + i, scratch);
        for (; i < tiles; i++) OutputLanes<Lanes1>(first + i, kStride, y + i, scratch);
        int oh = g.OutHeight, ow = g.OutWidth;
        long plane = (long)oh * ow;
        for (int piece = 0; piece < pieces; piece++)
        {
            int unit = firstUnit + firstLocal + piece, position = piece * count, ty = unit % tilesY, outRows = Math.Min(OutputSide, oh - OutputSide * ty);
            int x0 = OutputSide * tx0, width = Math.Min(ow - x0, OutputSide * count);
            long offset = ((long)(unit / tilesY) * g.OutChannels + co) * plane + (long)OutputSide * ty * ow + x0;
            for (int r = 0; r < outRows; r++)
            {
                Interleave4(op, y + r * OutputSide * StagingStride + position, width, output + offset + (long)r * ow, bias,
                    residual == null ? null : residual + offset + (long)r * ow);
            }
        }
    }

    /// <summary>
    /// Y = A^T m A for TLanes.Count adjacent tiles: A^T down each of the six columns into <paramref name="scratch"/>,
    /// then A along each of the four rows; y[(4r + c) * StagingStride + lane] is output pixel (r, c) of the lane's tile.
    /// </summary>
    private static void OutputLanes<T>(float* m, long kStride, float* y, float* scratch) where T : struct, IWinogradLanes<T>
    {
        int n = T.Count;
        for (int c = 0; c < TileSide; c++)
        {
            float* p = m + c * kStride;
            OutputPoints(T.Load(p), T.Load(p + 6 * kStride), T.Load(p + 12 * kStride), T.Load(p + 18 * kStride),
                T.Load(p + 24 * kStride), T.Load(p + 30 * kStride), scratch + c * n, TileSide * n);
        }
        for (int r = 0; r < OutputSide; r++)
        {
            float* x = scratch + r * TileSide * n;
            OutputPoints(T.Load(x), T.Load(x + n), T.Load(x + 2 * n), T.Load(x + 3 * n), T.Load(x + 4 * n), T.Load(x + 5 * n),
                y + r * OutputSide * StagingStride, StagingStride);
        }
    }

    /// <summary>A^T times six values: four values stored <paramref name="step"/> floats apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputPoints<T>(T m0, T m1, T m2, T m3, T m4, T m5, float* dst, long step) where T : struct, IWinogradLanes<T>
    {
        T sum12 = m1 + m2, difference12 = m1 - m2, sum34 = m3 + m4, difference34 = m3 - m4;
        (m0 + sum12 + sum34).Store(dst);
        (difference12 + T.Broadcast(2f) * difference34).Store(dst + step);
        (sum12 + T.Broadcast(4f) * sum34).Store(dst + 2 * step);
        (difference12 + T.Broadcast(8f) * difference34 + m5).Store(dst + 3 * step);
    }

    /// <summary>
    /// dst[4j + c] = op(phase c at j + bias + residual[4j + c]) (phases <see cref="StagingStride"/> apart) for the first
    /// <paramref name="width"/> values: 16 tiles at a time with eight two-source permutes (the inverse of
    /// <see cref="StageColumns"/>'s split), the epilogue on the interleaved vectors, masked where they pass the width.
    /// </summary>
    private static void Interleave4<TOp>(TOp op, float* phases, int width, float* dst, float bias, float* residual) where TOp : struct, IUnaryOperator
    {
        float* p0 = phases, p1 = phases + StagingStride, p2 = phases + 2 * StagingStride, p3 = phases + 3 * StagingStride;
        Vector512<int> low = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        Vector512<int> high = low + Vector512.Create(8);
        Vector512<float> b = Vector512.Create(bias);
        for (int j = 0; OutputSide * j < width; j += 16)
        {
            Vector512<float> v0 = Vector512.Load(p0 + j), v1 = Vector512.Load(p1 + j), v2 = Vector512.Load(p2 + j), v3 = Vector512.Load(p3 + j);
            Vector512<float> acLow = Avx512F.PermuteVar16x32x2(v0, low, v2), acHigh = Avx512F.PermuteVar16x32x2(v0, high, v2);
            Vector512<float> bdLow = Avx512F.PermuteVar16x32x2(v1, low, v3), bdHigh = Avx512F.PermuteVar16x32x2(v1, high, v3);
            int x = OutputSide * j;
            StoreOutput(op, Avx512F.PermuteVar16x32x2(acLow, low, bdLow) + b, dst, residual, x, width);
            StoreOutput(op, Avx512F.PermuteVar16x32x2(acLow, high, bdLow) + b, dst, residual, x + 16, width);
            StoreOutput(op, Avx512F.PermuteVar16x32x2(acHigh, low, bdHigh) + b, dst, residual, x + 32, width);
            StoreOutput(op, Avx512F.PermuteVar16x32x2(acHigh, high, bdHigh) + b, dst, residual, x + 48, width);
        }
    }

    /// <summary>dst[x .. x + 16) = op(value + residual there), masked to the lanes below <paramref name="width"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreOutput<TOp>(TOp op, Vector512<float> value, float* dst, float* residual, int x, int width) where TOp : struct, IUnaryOperator
    {
        if (x + 16 <= width)
        {
            if (residual != null) value += Vector512.Load(residual + x);
            op.Invoke(value).Store(dst + x);
        }
        else if (x < width)
        {
            Vector512<float> lanes = LaneMasks.FirstLanes(width - x);
            if (residual != null) value += Avx512F.MaskLoad(residual + x, lanes, Vector512<float>.Zero);
            Avx512F.MaskStore(dst + x, lanes, op.Invoke(value));
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// The three transforms of F(4x4, 3x3) with the points 0, -1, 1, 1/2, -2 (and infinity): U = G g G^T on the weights,
/// V = B^T d B on 6x6 input tiles and Y = A^T m A on the 6x6 products, with
/// <code>
/// B^T = [1 -3/2 -2 3/2 1 0; 0 1 -5/2 1/2 1 0; 0 -1 1/2 5/2 1 0; 0 -2 -1 2 1 0; 0 1/2 -1 -1/2 1 0; 0 1 -3/2 -2 3/2 1]
/// G   = [1 0 0; -1/3 1/3 -1/3; 1/3 1/3 1/3; -16/15 -8/15 -4/15; 1/15 -2/15 4/15; 0 0 1]
/// A^T = [1 1 1 1 1 0; 0 -1 1 1/2 -2 0; 0 1 1 1/4 4 0; 0 -1 1 1/8 -8 1]
/// </code>
/// (Toom-Cook at those points). Lavin and Gray's 0, ±1, ±2 lost 1.6x-2.3x more to rounding at 256 to 512 channels in a
/// float32 NumPy emulation (1.4e-5 against 5.9e-6 of the largest output), enough to take Inception-v3's logits past 1e-4
/// of PyTorch's; B and A here still hold only halves, quarters and eighths, which float32 represents exactly.
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
    /// U[k] for every (co, ci) pair, packed as the product tile reads its left operand: panel q of U[k] holds
    /// [InChannels][Mr] values for output channels Mr q..Mr q + Mr - 1, rows past OutChannels zero. Computed in double and
    /// rounded once, since G's sixths and twenty-fourths would otherwise add roundings of their own.
    /// </summary>
    private static void TransformWeights(in Conv2dGeometry g, float* weight, float* u)
    {
        if (!Avx512F.IsSupported)
        {
            TransformWeightsOneChannelAtATime(g, weight, u);
            return;
        }
        int cout = g.OutChannels, cin = g.InChannels, panels = (cout + Mr - 1) / Mr;
        long matrix = (long)panels * Mr * cin;
        // Panel by panel, the panel's eight output channels in the eight double lanes of a vector, so that each input
        // channel's 36 values are written as 36 runs of eight floats. One output channel at a time, in scalars, wrote
        // every cache line of U eight times far apart and took 26 ms for 512 x 512 weights.
        Parallelism.For(0, panels, q =>
        {
            float* taps = stackalloc float[9 * Mr];
            Vector512<double>* h = stackalloc Vector512<double>[TileSide * 3];
            Vector512<double>* row = stackalloc Vector512<double>[TileSide];
            float* panel = u + (long)q * Mr * cin;
            int lanes = Math.Min(Mr, cout - q * Mr);
            if (lanes < Mr) new Span<float>(taps, 9 * Mr).Clear();
            for (int ci = 0; ci < cin; ci++)
            {
                for (int i = 0; i < lanes; i++)
                {
                    float* w = weight + ((long)(q * Mr + i) * cin + ci) * 9;
                    for (int t = 0; t < 9; t++) taps[t * Mr + i] = w[t];
                }
                for (int c = 0; c < 3; c++)
                    Interpolate(Tap(taps, c), Tap(taps, 3 + c), Tap(taps, 6 + c), h + c, 3);
                for (int r = 0; r < TileSide; r++)
                {
                    Interpolate(h[3 * r], h[3 * r + 1], h[3 * r + 2], row, 1);
                    for (int c = 0; c < TileSide; c++)
                        Avx512F.ConvertToVector256Single(row[c]).Store(panel + (TileSide * r + c) * matrix + (long)ci * Mr);
                }
            }
        }, 1);
    }

    /// <summary>Tap <paramref name="t"/> of the eight output channels staged in <paramref name="taps"/>, widened to double.</summary>
    private static Vector512<double> Tap(float* taps, int t) => Avx512F.ConvertToVector512Double(Vector256.Load(taps + t * Mr));

    /// <summary>G times (g0, g1, g2), lane by lane: six values at <paramref name="stride"/> apart, in double.</summary>
    private static void Interpolate(Vector512<double> g0, Vector512<double> g1, Vector512<double> g2, Vector512<double>* dst, int stride)
    {
        Vector512<double> third = Vector512.Create(1.0 / 3), fifteenth = Vector512.Create(1.0 / 15), twice1 = g1 + g1;
        dst[0] = g0;
        dst[stride] = (g1 - g0 - g2) * third;
        dst[2 * stride] = (g0 + g1 + g2) * third;
        dst[3 * stride] = -(Vector512.Create(16.0) * g0 + Vector512.Create(4.0) * (twice1 + g2)) * fifteenth;
        dst[4 * stride] = (g0 - twice1 + Vector512.Create(4.0) * g2) * fifteenth;
        dst[5 * stride] = g2;
    }

    /// <summary>
    /// V[k][ci, t - <paramref name="firstTile"/>] for tiles [<paramref name="firstTile"/>, + <paramref name="tiles"/>) of
    /// the batch (tile t is column t % tilesX of tile row t / tilesX, and tile rows run through the images in turn),
    /// rows <paramref name="columns"/> floats long; the columns from <paramref name="tiles"/> on are zeroed, since the
    /// products read whole slivers.
    /// </summary>
    private static void TransformInput(Conv2dGeometry g, float* input, int firstTile, int tiles, int tilesX, float* v, int columns)
    {
        int cin = g.InChannels, chunks = (tiles + SegmentTiles - 1) / SegmentTiles;
        long kStride = (long)cin * columns;
        Parallelism.For(0, cin * chunks, item =>
        {
            int ci = item / chunks, chunk = item % chunks, start = chunk * SegmentTiles;
            float* row = v + (long)ci * columns;
            InputChunk(g, input, ci, tilesX, firstTile + start, Math.Min(SegmentTiles, tiles - start), row + start, kStride);
            if (chunk == chunks - 1 && columns > tiles)
                for (int k = 0; k < Products; k++) new Span<float>(row + k * kStride + tiles, columns - tiles).Clear();
        }, 2);
    }

    /// <summary>Floats between the staged column arrays: a chunk plus the vector loops' overrun.</summary>
    private const int StagingStride = SegmentTiles + 32;

    /// <summary>
    /// V for tiles [<paramref name="first"/>, + <paramref name="tiles"/>) (at most <see cref="SegmentTiles"/>, across
    /// tile rows and images as they come) of input channel <paramref name="ci"/>, written from <paramref name="dst"/> on
    /// in V[0]: each tile row's piece is staged in turn, then whole vectors run across the pieces.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputChunk(in Conv2dGeometry g, float* input, int ci, int tilesX, int first, int tiles, float* dst, long kStride)
    {
        float* staging = stackalloc float[Products * StagingStride];
        float* scratch = stackalloc float[Products * 16];
        int tilesY = (g.OutHeight + OutputSide - 1) / OutputSide;
        long plane = (long)g.InHeight * g.InWidth;
        for (int position = 0; position < tiles;)
        {
            int unit = (first + position) / tilesX, tx0 = (first + position) % tilesX, count = Math.Min(tilesX - tx0, tiles - position);
            int ty = unit % tilesY;
            float* channel = input + ((long)(unit / tilesY) * g.InChannels + ci) * plane;
            if (PrefetchesNextChannel && ci + 1 < g.InChannels) PrefetchRows(g, channel + plane, OutputSide * ty - g.PadHeight);
            for (int r = 0; r < TileSide; r++)
            {
                int iy = OutputSide * ty - g.PadHeight + r;
                float* row = iy >= 0 && iy < g.InHeight ? channel + (long)iy * g.InWidth : null;
                StageColumns(row, g.InWidth, OutputSide * tx0 - g.PadWidth, count, staging + TileSide * r * StagingStride + position);
            }
            position += count;
        }
        int i = 0;
        if (Avx512F.IsSupported)
            for (; i <= tiles - Lanes512.Count; i += Lanes512.Count) InputLanes<Lanes512>(staging + i, dst + i, kStride, scratch);
        for (; i <= tiles - Lanes256.Count; i += Lanes256.Count) InputLanes<Lanes256>(staging + i, dst + i, kStride, scratch);
        for (; i < tiles; i++) InputLanes<Lanes1>(staging + i, dst + i, kStride, scratch);
    }

    /// <summary>Whether the input transform asks for the next channel's rows ahead (<see cref="PrefetchRows"/>); benchmarks turn it off to compare.</summary>
    internal static bool PrefetchesNextChannel { get; set; } = true;

    /// <summary>
    /// Asks for the six rows from <paramref name="firstRow"/> of the plane at <paramref name="channel"/> (those inside
    /// it): the next channel's rows for the same tiles. The threads walk the channels of a few tile rows, short runs
    /// in planes far apart that the hardware's stream prefetch does not pick up, so the rows came from memory as they
    /// were staged.
    /// </summary>
    private static void PrefetchRows(in Conv2dGeometry g, float* channel, int firstRow)
    {
        int top = Math.Max(0, firstRow), bottom = Math.Min(g.InHeight, firstRow + TileSide);
        if (top >= bottom) return;
        byte* start = (byte*)(channel + (long)top * g.InWidth), end = (byte*)(channel + (long)bottom * g.InWidth);
        for (byte* line = (byte*)((nint)start & ~(nint)63); line < end; line += 64) Sse.Prefetch0(line);
    }

    /// <summary>
    /// Column c (0..5) of the <paramref name="count"/> tiles of one input row into <paramref name="dst"/> +
    /// c * <see cref="StagingStride"/>: row[x0 + 4j + c], zero outside [0, width) and everywhere for a null (padding) row.
    /// AVX-512 splits the row into its four phases 64 floats at a time with six two-source permutes, loading with a
    /// mask where the 64 floats reach past either end; columns 4 and 5 are phases 0 and 1 one tile on.
    /// </summary>
    private static void StageColumns(float* row, int width, int x0, int count, float* dst)
    {
        if (!Avx512F.IsSupported)
        {
            StageColumnsAvx2(row, width, x0, count, dst);
            return;
        }
        int groups = (count + 1 + 15) / 16;
        if (row == null)
        {
            for (int c = 0; c < TileSide; c++)
                for (int j = 0; j < count; j += 16) Vector512<float>.Zero.Store(dst + c * StagingStride + j);
            return;
        }
        Vector512<int> evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        Vector512<int> odds = evens + Vector512<int>.One;
        Vector512<float> previous0 = default, previous1 = default;
        for (int j = 0; j < 16 * groups; j += 16)
        {
            int x = x0 + OutputSide * j;
            Vector512<float> a = RowVector(row, x, width), b = RowVector(row, x + 16, width);
            Vector512<float> c = RowVector(row, x + 32, width), d = RowVector(row, x + 48, width);
            Vector512<float> evenLow = Avx512F.PermuteVar16x32x2(a, evens, b), oddLow = Avx512F.PermuteVar16x32x2(a, odds, b);
            Vector512<float> evenHigh = Avx512F.PermuteVar16x32x2(c, evens, d), oddHigh = Avx512F.PermuteVar16x32x2(c, odds, d);
            Vector512<float> phase0 = Avx512F.PermuteVar16x32x2(evenLow, evens, evenHigh);
            Vector512<float> phase1 = Avx512F.PermuteVar16x32x2(oddLow, evens, oddHigh);
            phase0.Store(dst + j);
            phase1.Store(dst + StagingStride + j);
            Avx512F.PermuteVar16x32x2(evenLow, odds, evenHigh).Store(dst + 2 * StagingStride + j);
            Avx512F.PermuteVar16x32x2(oddLow, odds, oddHigh).Store(dst + 3 * StagingStride + j);
            if (j > 0) StageShifted(previous0, previous1, phase0, phase1, dst + j - 16);
            previous0 = phase0;
            previous1 = phase1;
        }
        int last = 16 * (groups - 1);
        if (last < count) StageShifted(previous0, previous1, Vector512<float>.Zero, Vector512<float>.Zero, dst + last);
    }

    /// <summary>
    /// Columns 4 and 5 of 16 tiles, which are columns 0 and 1 (phases 0 and 1) one tile on, shifted in registers across
    /// the next group (an unaligned reload of the phases just stored would wait for the stores to complete).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StageShifted(Vector512<float> phase0, Vector512<float> phase1, Vector512<float> next0, Vector512<float> next1, float* dst)
    {
        Avx512F.AlignRight32(next0.AsUInt32(), phase0.AsUInt32(), 1).AsSingle().Store(dst + 4 * StagingStride);
        Avx512F.AlignRight32(next1.AsUInt32(), phase1.AsUInt32(), 1).AsSingle().Store(dst + 5 * StagingStride);
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
    /// V = B^T d B for TLanes.Count adjacent tiles: B^T down each of the six staged columns, then B along each of the
    /// six rows into the 36 matrices.
    /// </summary>
    private static void InputLanes<T>(float* s, float* dst, long kStride, float* scratch) where T : struct, IWinogradLanes<T> =>
        Separable<T, InputTransform>(s, StagingStride, TileSide * StagingStride, dst, TileSide * kStride, kStride, scratch);

    /// <summary>
    /// A 6x6 transform applied as two passes of <typeparamref name="TPoints"/> over TLanes.Count tiles: down each of the
    /// six columns of the source (columns <paramref name="columnStep"/> apart, rows <paramref name="rowStep"/> apart)
    /// into <paramref name="scratch"/>, then along each resulting row into <paramref name="dst"/> (rows
    /// <paramref name="dstRowStep"/> apart, values <paramref name="dstStep"/> apart).
    /// </summary>
    private static void Separable<T, TPoints>(float* src, long columnStep, long rowStep, float* dst, long dstRowStep, long dstStep, float* scratch)
        where T : struct, IWinogradLanes<T> where TPoints : struct, ISixPoints
    {
        int n = T.Count;
        for (int c = 0; c < TileSide; c++)
        {
            float* p = src + c * columnStep;
            TPoints.Apply(T.Load(p), T.Load(p + rowStep), T.Load(p + 2 * rowStep), T.Load(p + 3 * rowStep),
                T.Load(p + 4 * rowStep), T.Load(p + 5 * rowStep), scratch + c * n, TileSide * n);
        }
        for (int r = 0; r < TPoints.Outputs; r++)
        {
            float* x = scratch + r * TileSide * n;
            TPoints.Apply(T.Load(x), T.Load(x + n), T.Load(x + 2 * n), T.Load(x + 3 * n), T.Load(x + 4 * n), T.Load(x + 5 * n),
                dst + r * dstRowStep, dstStep);
        }
    }

    /// <summary>One side of a 6-point transform: six values in, <see cref="Outputs"/> values out.</summary>
    private interface ISixPoints
    {
        /// <summary>Values each application stores.</summary>
        static abstract int Outputs { get; }

        /// <summary>The transform's rows times (d0..d5), stored <paramref name="step"/> floats apart.</summary>
        static abstract void Apply<T>(T d0, T d1, T d2, T d3, T d4, T d5, float* dst, long step) where T : struct, IWinogradLanes<T>;
    }

    /// <summary>B^T of <see cref="Winograd4x4Conv2d"/>'s class comment.</summary>
    private readonly struct InputTransform : ISixPoints
    {
        public static int Outputs => TileSide;

        public static void Apply<T>(T d0, T d1, T d2, T d3, T d4, T d5, float* dst, long step) where T : struct, IWinogradLanes<T> =>
            InputPoints(d0, d1, d2, d3, d4, d5, dst, step);
    }

    /// <summary>A^T of <see cref="Winograd4x4Conv2d"/>'s class comment.</summary>
    private readonly struct OutputTransform : ISixPoints
    {
        public static int Outputs => OutputSide;

        public static void Apply<T>(T d0, T d1, T d2, T d3, T d4, T d5, float* dst, long step) where T : struct, IWinogradLanes<T> =>
            OutputPoints(d0, d1, d2, d3, d4, d5, dst, step);
    }

    /// <summary>B^T times six values, stored <paramref name="step"/> floats apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputPoints<T>(T d0, T d1, T d2, T d3, T d4, T d5, float* dst, long step) where T : struct, IWinogradLanes<T>
    {
        T half = T.Broadcast(0.5f), threeHalves = T.Broadcast(1.5f), two = T.Broadcast(2f), fiveHalves = T.Broadcast(2.5f);
        T d3MinusD1 = d3 - d1, d4MinusD2 = d4 - d2;
        (d0 + d4 - two * d2 + threeHalves * d3MinusD1).Store(dst);
        (d1 + d4 + half * d3 - fiveHalves * d2).Store(dst + step);
        (d4 - d1 + half * d2 + fiveHalves * d3).Store(dst + 2 * step);
        (d4MinusD2 + two * d3MinusD1).Store(dst + 3 * step);
        (d4MinusD2 - half * d3MinusD1).Store(dst + 4 * step);
        (d5 + d1 - threeHalves * d2 - two * d3 + threeHalves * d4).Store(dst + 5 * step);
    }

    /// <summary>
    /// Y = A^T m A from M[k][co, t - <paramref name="firstTile"/>] (36 matrices of <paramref name="kStride"/> floats,
    /// rows <paramref name="columns"/> long) into the NCHW output for tiles [<paramref name="firstTile"/>, +
    /// <paramref name="tiles"/>), clipping the last row and column of tiles where the output side is not a multiple of
    /// 4, with the bias, the residual and the activation applied as each output row is stored.
    /// </summary>
    private static void TransformOutput(Conv2dGeometry g, float* m, long kStride, int columns, int firstTile, int tiles, int tilesX,
        float* bias, float* output, ActivationKind activation, float* residual)
    {
        switch (activation)
        {
            case ActivationKind.Identity: TransformOutput(default(IdentityOperator), g, m, kStride, columns, firstTile, tiles, tilesX, bias, output, residual); break;
            case ActivationKind.ReLU: TransformOutput(default(ReluOperator), g, m, kStride, columns, firstTile, tiles, tilesX, bias, output, residual); break;
            case ActivationKind.ReLU6: TransformOutput(default(Relu6Operator), g, m, kStride, columns, firstTile, tiles, tilesX, bias, output, residual); break;
            case ActivationKind.SiLU: TransformOutput(default(SiluOperator), g, m, kStride, columns, firstTile, tiles, tilesX, bias, output, residual); break;
            case ActivationKind.Sigmoid: TransformOutput(default(SigmoidOperator), g, m, kStride, columns, firstTile, tiles, tilesX, bias, output, residual); break;
            case ActivationKind.Hardswish: TransformOutput(default(HardswishOperator), g, m, kStride, columns, firstTile, tiles, tilesX, bias, output, residual); break;
            case ActivationKind.Tanh: TransformOutput(default(TanhOperator), g, m, kStride, columns, firstTile, tiles, tilesX, bias, output, residual); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    private static void TransformOutput<TOp>(TOp op, Conv2dGeometry g, float* m, long kStride, int columns, int firstTile, int tiles, int tilesX,
        float* bias, float* output, float* residual) where TOp : struct, IUnaryOperator
    {
        int chunks = (tiles + SegmentTiles - 1) / SegmentTiles;
        Parallelism.For(0, g.OutChannels * chunks, item =>
        {
            int co = item / chunks, start = item % chunks * SegmentTiles;
            OutputChunk(op, g, m + (long)co * columns + start, kStride, co, tilesX, firstTile + start, Math.Min(SegmentTiles, tiles - start),
                bias == null ? 0f : bias[co], output, residual);
        }, 2);
    }

    /// <summary>Output tiles [<paramref name="first"/>, + <paramref name="tiles"/>) of output channel <paramref name="co"/> from its row of M[0] at <paramref name="m"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OutputChunk<TOp>(TOp op, in Conv2dGeometry g, float* m, long kStride, int co, int tilesX, int first, int tiles,
        float bias, float* output, float* residual) where TOp : struct, IUnaryOperator
    {
        float* y = stackalloc float[OutputSide * OutputSide * StagingStride];
        float* scratch = stackalloc float[OutputSide * TileSide * 16];
        int i = 0;
        if (Avx512F.IsSupported)
            for (; i <= tiles - Lanes512.Count; i += Lanes512.Count) OutputLanes<Lanes512>(m + i, kStride, y + i, scratch);
        for (; i <= tiles - Lanes256.Count; i += Lanes256.Count) OutputLanes<Lanes256>(m + i, kStride, y + i, scratch);
        for (; i < tiles; i++) OutputLanes<Lanes1>(m + i, kStride, y + i, scratch);
        int tilesY = (g.OutHeight + OutputSide - 1) / OutputSide, oh = g.OutHeight, ow = g.OutWidth;
        long plane = (long)oh * ow;
        for (int position = 0; position < tiles;)
        {
            int unit = (first + position) / tilesX, tx0 = (first + position) % tilesX, count = Math.Min(tilesX - tx0, tiles - position);
            int ty = unit % tilesY, outRows = Math.Min(OutputSide, oh - OutputSide * ty);
            int x0 = OutputSide * tx0, width = Math.Min(ow - x0, OutputSide * count);
            long offset = ((long)(unit / tilesY) * g.OutChannels + co) * plane + (long)OutputSide * ty * ow + x0;
            for (int r = 0; r < outRows; r++)
                Interleave4(op, y + r * OutputSide * StagingStride + position, width, output + offset + (long)r * ow, bias,
                    residual == null ? null : residual + offset + (long)r * ow);
            position += count;
        }
    }

    /// <summary>
    /// Y = A^T m A for TLanes.Count adjacent tiles: A^T down each of the six columns of the 36 products, then A along
    /// each of the four rows; y[(4r + c) * StagingStride + lane] is output pixel (r, c) of the lane's tile.
    /// </summary>
    private static void OutputLanes<T>(float* m, long kStride, float* y, float* scratch) where T : struct, IWinogradLanes<T> =>
        Separable<T, OutputTransform>(m, kStride, TileSide * kStride, y, OutputSide * StagingStride, StagingStride, scratch);

    /// <summary>A^T times six values: four values stored <paramref name="step"/> floats apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputPoints<T>(T m0, T m1, T m2, T m3, T m4, T m5, float* dst, long step) where T : struct, IWinogradLanes<T>
    {
        T sum12 = m1 + m2, difference21 = m2 - m1;
        (m0 + sum12 + m3 + m4).Store(dst);
        (difference21 + T.Broadcast(0.5f) * m3 - T.Broadcast(2f) * m4).Store(dst + step);
        (sum12 + T.Broadcast(0.25f) * m3 + T.Broadcast(4f) * m4).Store(dst + 2 * step);
        (difference21 + T.Broadcast(0.125f) * m3 - T.Broadcast(8f) * m4 + m5).Store(dst + 3 * step);
    }

    /// <summary>
    /// dst[4j + c] = op(phase c at j + bias + residual[4j + c]) (phases <see cref="StagingStride"/> apart) for the first
    /// <paramref name="width"/> values: 16 tiles at a time with eight two-source permutes (the inverse of
    /// <see cref="StageColumns"/>'s split), the epilogue on the interleaved vectors, masked where they pass the width.
    /// </summary>
    private static void Interleave4<TOp>(TOp op, float* phases, int width, float* dst, float bias, float* residual) where TOp : struct, IUnaryOperator
    {
        if (!Avx512F.IsSupported)
        {
            Interleave4Avx2(op, phases, width, dst, bias, residual);
            return;
        }
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

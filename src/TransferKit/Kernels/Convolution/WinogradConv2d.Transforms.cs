using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// The three transforms of F(2x2, 3x3) (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016):
/// U = G g G^T on the weights, V = B^T d B on 4x4 input tiles and Y = A^T m A on the 4x4 products, with
/// <code>
/// B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]   G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]   A^T = [1 1 1 0; 0 1 -1 -1]
/// </code>
/// Element (r, c) of a 4x4 transform lives in matrix k = 4r + c. The input and output transforms run over one tile row at
/// a time, vectorised across the tiles of that row: the input row is split into its even and odd columns first, so that
/// the four columns of tile tx are even[tx], odd[tx], even[tx + 1] and odd[tx + 1], each a contiguous run over tx.
/// </summary>
[SkipLocalsInit]
internal static unsafe partial class WinogradConv2d
{
    /// <summary>Tiles of one tile row handled per pass, bounding the staging rows on the stack (about 4 KiB).</summary>
    private const int SegmentTiles = 128;

    /// <summary>U[k][co, ci] = (G g G^T)[k] for every (co, ci) pair; U holds 16 matrices of OutChannels x InChannels.</summary>
    private static void TransformWeights(in Conv2dGeometry g, float* weight, float* u)
    {
        int cout = g.OutChannels, cin = g.InChannels;
        long matrix = (long)cout * cin;
        Parallelism.For(0, cout, co => TransformWeightRow(weight + (long)co * cin * 9, cin, u + (long)co * cin, matrix),
            Math.Max(1, 2048 / cin));
    }

    // Full optimisation from the first call, as the GEMM kernels have it: a one-off forward (or the first batches of a
    // cache fill) would otherwise run these loops as unoptimised tier-0 code, several times slower than the GEMMs.
    /// <summary>
    /// One output channel's weights [InChannels, 3, 3] into row co of the 16 U matrices: the taps are first transposed
    /// to [9, channels] (a chunk at a time), so that the transform runs across input channels in vector lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformWeightRow(float* weights, int cin, float* dst, long matrix)
    {
        float* taps = stackalloc float[9 * SegmentTiles];
        for (int c0 = 0; c0 < cin; c0 += SegmentTiles)
        {
            int count = Math.Min(SegmentTiles, cin - c0);
            for (int c = 0; c < count; c++)
            {
                float* w = weights + (long)(c0 + c) * 9;
                for (int t = 0; t < 9; t++) taps[t * SegmentTiles + c] = w[t];
            }
            int i = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; i <= count - Lanes512.Count; i += Lanes512.Count) WeightLanes<Lanes512>(taps + i, dst + c0 + i, matrix);
            if (Vector256.IsHardwareAccelerated)
                for (; i <= count - Lanes256.Count; i += Lanes256.Count) WeightLanes<Lanes256>(taps + i, dst + c0 + i, matrix);
            for (; i < count; i++) WeightLanes<Lanes1>(taps + i, dst + c0 + i, matrix);
        }
    }

    /// <summary>U = G g G^T for TLanes.Count adjacent input channels (taps at stride <see cref="SegmentTiles"/>).</summary>
    private static void WeightLanes<T>(float* taps, float* dst, long matrix) where T : struct, IWinogradLanes<T>
    {
        // h = G g (4 x 3), one column of g at a time; then each row of h times G^T is a row of U.
        T half = T.Broadcast(0.5f);
        WeightColumn(taps, half, out T h00, out T h10, out T h20, out T h30);
        WeightColumn(taps + SegmentTiles, half, out T h01, out T h11, out T h21, out T h31);
        WeightColumn(taps + 2 * SegmentTiles, half, out T h02, out T h12, out T h22, out T h32);
        WeightRow(h00, h01, h02, half, dst, matrix);
        WeightRow(h10, h11, h12, half, dst + 4 * matrix, matrix);
        WeightRow(h20, h21, h22, half, dst + 8 * matrix, matrix);
        WeightRow(h30, h31, h32, half, dst + 12 * matrix, matrix);
    }

    /// <summary>G times one column (taps c, 3 + c, 6 + c) of the 3x3 kernel.</summary>
    private static void WeightColumn<T>(float* taps, T half, out T h0, out T h1, out T h2, out T h3) where T : struct, IWinogradLanes<T>
    {
        T g0 = T.Load(taps), g1 = T.Load(taps + 3 * SegmentTiles), g2 = T.Load(taps + 6 * SegmentTiles);
        h0 = g0;
        h1 = half * (g0 + g1 + g2);
        h2 = half * (g0 - g1 + g2);
        h3 = g2;
    }

    /// <summary>One row of G g times G^T, stored into four consecutive U matrices.</summary>
    private static void WeightRow<T>(T h0, T h1, T h2, T half, float* dst, long matrix) where T : struct, IWinogradLanes<T>
    {
        h0.Store(dst);
        (half * (h0 + h1 + h2)).Store(dst + matrix);
        (half * (h0 - h1 + h2)).Store(dst + 2 * matrix);
        h2.Store(dst + 3 * matrix);
    }

    /// <summary>
    /// V[k][ci, t] for the tiles of tile rows [<paramref name="firstUnit"/>, + <paramref name="units"/>) (a unit is one
    /// tile row of one image; tile t = (unit - firstUnit) * tilesX + tx). V holds 16 matrices of InChannels x tiles.
    /// </summary>
    private static void TransformInput(Conv2dGeometry g, float* input, int firstUnit, int units, int tilesX, float* v, int tiles)
    {
        int tilesY = (g.OutHeight + 1) / 2;
        long plane = (long)g.InHeight * g.InWidth, kStride = (long)g.InChannels * tiles;
        Parallelism.For(0, g.InChannels * units, item =>
        {
            int ci = item / units, local = item % units, unit = firstUnit + local;
            float* channel = input + ((long)(unit / tilesY) * g.InChannels + ci) * plane;
            InputTileRow(g, channel, unit % tilesY, tilesX, v + (long)ci * tiles + (long)local * tilesX, kStride);
        }, Math.Max(1, 1024 / tilesX));
    }

    /// <summary>V for the tiles of tile row <paramref name="ty"/> of one input channel plane, written from <paramref name="dst"/> on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputTileRow(in Conv2dGeometry g, float* channel, int ty, int tilesX, float* dst, long kStride)
    {
        int stride = SegmentTiles + 1;
        float* staging = stackalloc float[8 * stride];
        for (int tx0 = 0; tx0 < tilesX; tx0 += SegmentTiles)
        {
            int count = Math.Min(SegmentTiles, tilesX - tx0);
            for (int r = 0; r < 4; r++)
            {
                int iy = 2 * ty - g.PadHeight + r;
                float* row = iy >= 0 && iy < g.InHeight ? channel + (long)iy * g.InWidth : null;
                SplitEvenOdd(row, g.InWidth, 2 * tx0 - g.PadWidth, count + 1, staging + 2 * r * stride, staging + (2 * r + 1) * stride);
            }
            InputSegment(staging, stride, count, dst + tx0, kStride);
        }
    }

    /// <summary>
    /// even[j] = row[x0 + 2j], odd[j] = row[x0 + 2j + 1] for j below <paramref name="pairs"/>, zero outside [0, width)
    /// and everywhere when <paramref name="row"/> is null (a padding row). Inside the row, AVX-512 splits 32 floats at a
    /// time with two two-source permutes; the borders go one pair at a time.
    /// </summary>
    private static void SplitEvenOdd(float* row, int width, int x0, int pairs, float* even, float* odd)
    {
        if (row == null)
        {
            new Span<float>(even, pairs).Clear();
            new Span<float>(odd, pairs).Clear();
            return;
        }
        int j = 0;
        for (; j < pairs && x0 + 2 * j < 0; j++) SplitPair(row, width, x0 + 2 * j, even + j, odd + j);
        if (Avx512F.IsSupported)
        {
            Vector512<int> evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            Vector512<int> odds = evens + Vector512<int>.One;
            for (; j <= pairs - 16 && x0 + 2 * j + 32 <= width; j += 16)
            {
                float* src = row + x0 + 2 * j;
                Vector512<float> a = Vector512.Load(src), b = Vector512.Load(src + 16);
                Avx512F.PermuteVar16x32x2(a, evens, b).Store(even + j);
                Avx512F.PermuteVar16x32x2(a, odds, b).Store(odd + j);
            }
        }
        for (; j < pairs; j++) SplitPair(row, width, x0 + 2 * j, even + j, odd + j);
    }

    private static void SplitPair(float* row, int width, int x, float* even, float* odd)
    {
        *even = (uint)x < (uint)width ? row[x] : 0f;
        *odd = (uint)(x + 1) < (uint)width ? row[x + 1] : 0f;
    }

    /// <summary>Transforms <paramref name="count"/> tiles from the staged even/odd rows, widest lanes first.</summary>
    private static void InputSegment(float* staging, int stride, int count, float* dst, long kStride)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= count - Lanes512.Count; i += Lanes512.Count) InputLanes<Lanes512>(staging + i, stride, dst + i, kStride);
        if (Vector256.IsHardwareAccelerated)
            for (; i <= count - Lanes256.Count; i += Lanes256.Count) InputLanes<Lanes256>(staging + i, stride, dst + i, kStride);
        for (; i < count; i++) InputLanes<Lanes1>(staging + i, stride, dst + i, kStride);
    }

    /// <summary>V = B^T d B for TLanes.Count adjacent tiles: B^T down the columns, then B along the rows.</summary>
    private static void InputLanes<T>(float* s, int stride, float* dst, long kStride) where T : struct, IWinogradLanes<T>
    {
        // Column c of input row r: even[tx], odd[tx], even[tx + 1], odd[tx + 1] for c = 0..3.
        Column(s, stride, 0, 0, out T t00, out T t10, out T t20, out T t30);
        Column(s, stride, 1, 0, out T t01, out T t11, out T t21, out T t31);
        Column(s, stride, 0, 1, out T t02, out T t12, out T t22, out T t32);
        Column(s, stride, 1, 1, out T t03, out T t13, out T t23, out T t33);
        Row(t00, t01, t02, t03, dst, kStride);
        Row(t10, t11, t12, t13, dst + 4 * kStride, kStride);
        Row(t20, t21, t22, t23, dst + 8 * kStride, kStride);
        Row(t30, t31, t32, t33, dst + 12 * kStride, kStride);
    }

    /// <summary>B^T applied to one column of the 4x4 tile (rows 0..3 of the staging, even or odd half, shifted by one tile or not).</summary>
    private static void Column<T>(float* s, int stride, int half, int shift, out T t0, out T t1, out T t2, out T t3)
        where T : struct, IWinogradLanes<T>
    {
        float* p = s + half * stride + shift;
        T d0 = T.Load(p), d1 = T.Load(p + 2 * stride), d2 = T.Load(p + 4 * stride), d3 = T.Load(p + 6 * stride);
        t0 = d0 - d2;
        t1 = d1 + d2;
        t2 = d2 - d1;
        t3 = d1 - d3;
    }

    /// <summary>One row of (B^T d) times B, stored into four consecutive transform matrices.</summary>
    private static void Row<T>(T c0, T c1, T c2, T c3, float* dst, long kStride) where T : struct, IWinogradLanes<T>
    {
        (c0 - c2).Store(dst);
        (c1 + c2).Store(dst + kStride);
        (c2 - c1).Store(dst + 2 * kStride);
        (c1 - c3).Store(dst + 3 * kStride);
    }

    /// <summary>
    /// Y = A^T m A + bias from M[k][co, t] (16 matrices of OutChannels x tiles) into the NCHW output, clipping the last
    /// row and column of tiles when the output size is odd.
    /// </summary>
    private static void TransformOutput(Conv2dGeometry g, float* m, int tiles, int firstUnit, int units, int tilesX, float* bias, float* output)
    {
        int tilesY = (g.OutHeight + 1) / 2, oh = g.OutHeight, ow = g.OutWidth;
        long plane = (long)oh * ow, kStride = (long)g.OutChannels * tiles;
        Parallelism.For(0, g.OutChannels * units, item =>
        {
            int co = item / units, local = item % units, unit = firstUnit + local;
            int ty = unit % tilesY;
            float* row0 = output + ((long)(unit / tilesY) * g.OutChannels + co) * plane + (long)(2 * ty) * ow;
            OutputTileRow(m + (long)co * tiles + (long)local * tilesX, kStride, tilesX, bias == null ? 0f : bias[co],
                row0, 2 * ty + 1 < oh ? row0 + ow : null, ow);
        }, Math.Max(1, 1024 / tilesX));
    }

    /// <summary>One tile row of one output channel: output rows <paramref name="row0"/> and <paramref name="row1"/> (null past the bottom).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OutputTileRow(float* m, long kStride, int tilesX, float bias, float* row0, float* row1, int ow)
    {
        float* y = stackalloc float[4 * SegmentTiles];
        for (int tx0 = 0; tx0 < tilesX; tx0 += SegmentTiles)
        {
            int count = Math.Min(SegmentTiles, tilesX - tx0);
            OutputSegment(m + tx0, kStride, count, bias, y);
            Interleave(y, y + SegmentTiles, count, row0 + 2 * tx0, ow - 2 * tx0);
            if (row1 != null) Interleave(y + 2 * SegmentTiles, y + 3 * SegmentTiles, count, row1 + 2 * tx0, ow - 2 * tx0);
        }
    }

    /// <summary>
    /// dst[2j] = left[j], dst[2j + 1] = right[j], stopping at <paramref name="width"/> columns; AVX-512 interleaves 16
    /// pairs at a time with two two-source permutes (the inverse of <see cref="SplitEvenOdd"/>).
    /// </summary>
    private static void Interleave(float* left, float* right, int count, float* dst, int width)
    {
        int full = Math.Min(count, width / 2), j = 0;
        if (Avx512F.IsSupported)
        {
            Vector512<int> low = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
            Vector512<int> high = low + Vector512.Create(8);
            for (; j <= full - 16; j += 16)
            {
                Vector512<float> l = Vector512.Load(left + j), r = Vector512.Load(right + j);
                Avx512F.PermuteVar16x32x2(l, low, r).Store(dst + 2 * j);
                Avx512F.PermuteVar16x32x2(l, high, r).Store(dst + 2 * j + 16);
            }
        }
        for (; j < full; j++)
        {
            dst[2 * j] = left[j];
            dst[2 * j + 1] = right[j];
        }
        if (full < count) dst[2 * full] = left[full];
    }

    /// <summary>
    /// Output tiles for <paramref name="count"/> adjacent tiles into four staging rows of <see cref="SegmentTiles"/>:
    /// y00, y01 (top output row, left and right pixel), y10, y11.
    /// </summary>
    private static void OutputSegment(float* m, long kStride, int count, float bias, float* y)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= count - Lanes512.Count; i += Lanes512.Count) OutputLanes<Lanes512>(m + i, kStride, bias, y + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i <= count - Lanes256.Count; i += Lanes256.Count) OutputLanes<Lanes256>(m + i, kStride, bias, y + i);
        for (; i < count; i++) OutputLanes<Lanes1>(m + i, kStride, bias, y + i);
    }

    /// <summary>Y = A^T m A + bias for TLanes.Count adjacent tiles: A^T down the columns, then A along the two rows.</summary>
    private static void OutputLanes<T>(float* m, long kStride, float bias, float* y) where T : struct, IWinogradLanes<T>
    {
        OutputColumn(m, kStride, out T s00, out T s10);
        OutputColumn(m + kStride, kStride, out T s01, out T s11);
        OutputColumn(m + 2 * kStride, kStride, out T s02, out T s12);
        OutputColumn(m + 3 * kStride, kStride, out T s03, out T s13);
        T b = T.Broadcast(bias);
        (s00 + s01 + s02 + b).Store(y);
        (s01 - s02 - s03 + b).Store(y + SegmentTiles);
        (s10 + s11 + s12 + b).Store(y + 2 * SegmentTiles);
        (s11 - s12 - s13 + b).Store(y + 3 * SegmentTiles);
    }

    /// <summary>A^T applied to column c of the 4x4 product (matrices c, 4 + c, 8 + c, 12 + c).</summary>
    private static void OutputColumn<T>(float* m, long kStride, out T s0, out T s1) where T : struct, IWinogradLanes<T>
    {
        T m0 = T.Load(m), m1 = T.Load(m + 4 * kStride), m2 = T.Load(m + 8 * kStride), m3 = T.Load(m + 12 * kStride);
        s0 = m0 + m1 + m2;
        s1 = m1 - m2 - m3;
    }
}

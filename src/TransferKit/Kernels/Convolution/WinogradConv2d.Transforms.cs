using System.Runtime.Intrinsics;

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
internal static unsafe partial class WinogradConv2d
{
    /// <summary>Tiles of one tile row handled per pass, bounding the staging rows on the stack (about 4 KiB).</summary>
    private const int SegmentTiles = 128;

    /// <summary>U[k][co, ci] = (G g G^T)[k] for every (co, ci) pair; U holds 16 matrices of OutChannels x InChannels.</summary>
    private static void TransformWeights(in Conv2dGeometry g, float* weight, float* u)
    {
        int cout = g.OutChannels, cin = g.InChannels;
        long matrix = (long)cout * cin;
        Parallelism.For(0, cout, co =>
        {
            float* h = stackalloc float[12];
            for (int ci = 0; ci < cin; ci++)
            {
                float* w = weight + ((long)co * cin + ci) * 9;
                // h = G g (4 x 3), then each row of h times G^T gives a row of U.
                for (int c = 0; c < 3; c++)
                {
                    float g0 = w[c], g1 = w[3 + c], g2 = w[6 + c];
                    h[c] = g0;
                    h[3 + c] = 0.5f * (g0 + g1 + g2);
                    h[6 + c] = 0.5f * (g0 - g1 + g2);
                    h[9 + c] = g2;
                }
                float* dst = u + (long)co * cin + ci;
                for (int r = 0; r < 4; r++)
                {
                    float h0 = h[3 * r], h1 = h[3 * r + 1], h2 = h[3 * r + 2];
                    dst[(4 * r) * matrix] = h0;
                    dst[(4 * r + 1) * matrix] = 0.5f * (h0 + h1 + h2);
                    dst[(4 * r + 2) * matrix] = 0.5f * (h0 - h1 + h2);
                    dst[(4 * r + 3) * matrix] = h2;
                }
            }
        }, Math.Max(1, 4096 / cin));
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
            int n = unit / tilesY, ty = unit % tilesY;
            float* channel = input + ((long)n * g.InChannels + ci) * plane;
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
                float* dst = v + (long)ci * tiles + (long)local * tilesX + tx0;
                InputSegment(staging, stride, count, dst, kStride);
            }
        }, Math.Max(1, 1024 / tilesX));
    }

    /// <summary>
    /// even[j] = row[x0 + 2j], odd[j] = row[x0 + 2j + 1] for j below <paramref name="pairs"/>, zero outside [0, width)
    /// and everywhere when <paramref name="row"/> is null (a padding row).
    /// </summary>
    private static void SplitEvenOdd(float* row, int width, int x0, int pairs, float* even, float* odd)
    {
        if (row == null)
        {
            new Span<float>(even, pairs).Clear();
            new Span<float>(odd, pairs).Clear();
            return;
        }
        for (int j = 0; j < pairs; j++)
        {
            int x = x0 + 2 * j;
            even[j] = (uint)x < (uint)width ? row[x] : 0f;
            odd[j] = (uint)(x + 1) < (uint)width ? row[x + 1] : 0f;
        }
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
            int n = unit / tilesY, ty = unit % tilesY;
            float b = bias == null ? 0f : bias[co];
            float* y = stackalloc float[4 * SegmentTiles];
            float* row0 = output + ((long)n * g.OutChannels + co) * plane + (long)(2 * ty) * ow;
            float* row1 = 2 * ty + 1 < oh ? row0 + ow : null;
            for (int tx0 = 0; tx0 < tilesX; tx0 += SegmentTiles)
            {
                int count = Math.Min(SegmentTiles, tilesX - tx0);
                OutputSegment(m + (long)co * tiles + (long)local * tilesX + tx0, kStride, count, b, y);
                Interleave(y, y + SegmentTiles, count, row0 + 2 * tx0, ow - 2 * tx0);
                if (row1 != null) Interleave(y + 2 * SegmentTiles, y + 3 * SegmentTiles, count, row1 + 2 * tx0, ow - 2 * tx0);
            }
        }, Math.Max(1, 1024 / tilesX));
    }

    /// <summary>dst[2j] = left[j], dst[2j + 1] = right[j], stopping at <paramref name="width"/> columns.</summary>
    private static void Interleave(float* left, float* right, int count, float* dst, int width)
    {
        int full = Math.Min(count, width / 2);
        for (int j = 0; j < full; j++)
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

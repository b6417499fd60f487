using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// The AVX2 forms of the F(4x4, 3x3) steps that AVX-512 does with two-source permutes and masks: the weights'
/// transform one output channel at a time (the AVX2 tile's panels hold six channels, which eight-lane double vectors do
/// not divide), the split of an input row into its four column phases and the interleave of the output phases back,
/// eight tiles at a time with in-lane 4x4 transposes and 128-bit lane swaps.
/// </summary>
internal static unsafe partial class Winograd4x4Conv2d
{
    /// <summary>
    /// <see cref="TransformWeights"/> in scalar double, one (output, input) channel pair at a time, in the same order of
    /// operations as the vector form, so each value is rounded once, as there.
    /// </summary>
    private static void TransformWeightsOneChannelAtATime(in Conv2dGeometry g, float* weight, float* u)
    {
        int cout = g.OutChannels, cin = g.InChannels, mr = Mr, panels = (cout + mr - 1) / mr;
        long matrix = (long)panels * mr * cin;
        Parallelism.For(0, panels, q =>
        {
            double* h = stackalloc double[TileSide * 3];
            double* row = stackalloc double[TileSide];
            float* panel = u + (long)q * mr * cin;
            int lanes = Math.Min(mr, cout - q * mr);
            for (int ci = 0; ci < cin; ci++)
                for (int i = 0; i < mr; i++)
                {
                    float* at = panel + (long)ci * mr + i;
                    if (i >= lanes)
                    {
                        for (int k = 0; k < Products; k++) at[k * matrix] = 0f;
                        continue;
                    }
                    float* w = weight + ((long)(q * mr + i) * cin + ci) * 9;
                    for (int c = 0; c < 3; c++) Interpolate(w[c], w[3 + c], w[6 + c], h + c, 3);
                    for (int r = 0; r < TileSide; r++)
                    {
                        Interpolate(h[3 * r], h[3 * r + 1], h[3 * r + 2], row, 1);
                        for (int c = 0; c < TileSide; c++) at[(TileSide * r + c) * matrix] = (float)row[c];
                    }
                }
        }, 1);
    }

    /// <summary>G times (g0, g1, g2) in scalar double, as the vector <c>Interpolate</c>: six values <paramref name="stride"/> apart.</summary>
    private static void Interpolate(double g0, double g1, double g2, double* dst, int stride)
    {
        double third = 1.0 / 3, fifteenth = 1.0 / 15, twice1 = g1 + g1;
        dst[0] = g0;
        dst[stride] = (g1 - g0 - g2) * third;
        dst[2 * stride] = (g0 + g1 + g2) * third;
        dst[3 * stride] = -(16.0 * g0 + 4.0 * (twice1 + g2)) * fifteenth;
        dst[4 * stride] = (g0 - twice1 + 4.0 * g2) * fifteenth;
        dst[5 * stride] = g2;
    }

    /// <summary>
    /// <see cref="StageColumns"/> with eight tiles per step: the four row vectors of 32 floats are paired by 128-bit
    /// halves (tiles j and j + 4 in one vector), and a 4x4 transpose inside each half leaves phase p of tiles j..j + 7
    /// in one vector. Columns 4 and 5 are phases 0 and 1 rotated by one lane, the next step's first tile blended in.
    /// </summary>
    private static void StageColumnsAvx2(float* row, int width, int x0, int count, float* dst)
    {
        int groups = (count + 1 + 7) / 8;
        if (row == null)
        {
            for (int c = 0; c < TileSide; c++)
                for (int j = 0; j < count; j += 8) Vector256<float>.Zero.Store(dst + c * StagingStride + j);
            return;
        }
        Vector256<float> previous0 = default, previous1 = default;
        for (int j = 0; j < 8 * groups; j += 8)
        {
            int x = x0 + OutputSide * j;
            Vector256<float> a = RowVector256(row, x, width), b = RowVector256(row, x + 8, width);
            Vector256<float> c = RowVector256(row, x + 16, width), d = RowVector256(row, x + 24, width);
            Vector256<float> tiles04 = Avx.Permute2x128(a, c, 0x20), tiles15 = Avx.Permute2x128(a, c, 0x31);
            Vector256<float> tiles26 = Avx.Permute2x128(b, d, 0x20), tiles37 = Avx.Permute2x128(b, d, 0x31);
            Transpose4InLanes(tiles04, tiles15, tiles26, tiles37, out Vector256<float> phase0, out Vector256<float> phase1,
                out Vector256<float> phase2, out Vector256<float> phase3);
            phase0.Store(dst + j);
            phase1.Store(dst + StagingStride + j);
            phase2.Store(dst + 2 * StagingStride + j);
            phase3.Store(dst + 3 * StagingStride + j);
            if (j > 0) StageShifted256(previous0, previous1, phase0, phase1, dst + j - 8);
            previous0 = phase0;
            previous1 = phase1;
        }
        int last = 8 * (groups - 1);
        if (last < count) StageShifted256(previous0, previous1, Vector256<float>.Zero, Vector256<float>.Zero, dst + last);
    }

    /// <summary>Columns 4 and 5 of eight tiles: phases 0 and 1 one tile on, the last lane from the next step's vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StageShifted256(Vector256<float> phase0, Vector256<float> phase1, Vector256<float> next0, Vector256<float> next1, float* dst)
    {
        Vector256<int> rotate = Vector256.Create(1, 2, 3, 4, 5, 6, 7, 0);
        Avx.Blend(Avx2.PermuteVar8x32(phase0, rotate), Avx2.PermuteVar8x32(next0, rotate), 0x80).Store(dst + 4 * StagingStride);
        Avx.Blend(Avx2.PermuteVar8x32(phase1, rotate), Avx2.PermuteVar8x32(next1, rotate), 0x80).Store(dst + 5 * StagingStride);
    }

    /// <summary>
    /// The 4x4 transpose within each 128-bit half: lane i of half h of <paramref name="r0"/>..<paramref name="r3"/>
    /// becomes lane 0..3 of half h of output i.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4InLanes(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3)
    {
        Vector256<float> low01 = Avx.UnpackLow(r0, r1), low23 = Avx.UnpackLow(r2, r3);
        Vector256<float> high01 = Avx.UnpackHigh(r0, r1), high23 = Avx.UnpackHigh(r2, r3);
        c0 = Avx.Shuffle(low01, low23, 0x44);
        c1 = Avx.Shuffle(low01, low23, 0xEE);
        c2 = Avx.Shuffle(high01, high23, 0x44);
        c3 = Avx.Shuffle(high01, high23, 0xEE);
    }

    /// <summary>row[x .. x + 8), zero outside [0, width): a plain load inside, a masked one (no fault past the ends) across them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> RowVector256(float* row, int x, int width)
    {
        if (x >= 0 && x + 8 <= width) return Vector256.Load(row + x);
        if (x + 8 <= 0 || x >= width) return Vector256<float>.Zero;
        Vector256<int> positions = Vector256.Create(x) + Vector256<int>.Indices;
        Vector256<int> inside = Vector256.GreaterThanOrEqual(positions, Vector256<int>.Zero) & Vector256.LessThan(positions, Vector256.Create(width));
        return Avx.MaskLoad(row + x, inside.AsSingle());
    }

    /// <summary>
    /// <see cref="Interleave4"/> with eight tiles per step: the 4x4 transpose inside each 128-bit half puts tiles j and
    /// j + 4 in one vector, and 128-bit lane swaps put them back in order.
    /// </summary>
    private static void Interleave4Avx2<TOp>(TOp op, float* phases, int width, float* dst, float bias, float* residual) where TOp : struct, IUnaryOperator
    {
        float* p0 = phases, p1 = phases + StagingStride, p2 = phases + 2 * StagingStride, p3 = phases + 3 * StagingStride;
        Vector256<float> b = Vector256.Create(bias);
        for (int j = 0; OutputSide * j < width; j += 8)
        {
            Transpose4InLanes(Vector256.Load(p0 + j), Vector256.Load(p1 + j), Vector256.Load(p2 + j), Vector256.Load(p3 + j),
                out Vector256<float> tiles04, out Vector256<float> tiles15, out Vector256<float> tiles26, out Vector256<float> tiles37);
            int x = OutputSide * j;
            StoreOutput256(op, Avx.Permute2x128(tiles04, tiles15, 0x20) + b, dst, residual, x, width);
            StoreOutput256(op, Avx.Permute2x128(tiles26, tiles37, 0x20) + b, dst, residual, x + 8, width);
            StoreOutput256(op, Avx.Permute2x128(tiles04, tiles15, 0x31) + b, dst, residual, x + 16, width);
            StoreOutput256(op, Avx.Permute2x128(tiles26, tiles37, 0x31) + b, dst, residual, x + 24, width);
        }
    }

    /// <summary>dst[x .. x + 8) = op(value + residual there), masked to the lanes below <paramref name="width"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreOutput256<TOp>(TOp op, Vector256<float> value, float* dst, float* residual, int x, int width) where TOp : struct, IUnaryOperator
    {
        if (x + 8 <= width)
        {
            if (residual != null) value += Vector256.Load(residual + x);
            op.Invoke(value).Store(dst + x);
        }
        else if (x < width)
        {
            Vector256<float> lanes = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(width - x)).AsSingle();
            if (residual != null) value += Avx.MaskLoad(residual + x, lanes);
            Avx.MaskStore(dst + x, lanes, op.Invoke(value));
        }
    }
}

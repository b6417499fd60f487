using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Activations;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// Direct 3x3 convolution, stride 1, padding 1, ungrouped, in float32 on AVX-512: no column matrix and no packing.
/// Each image's channels are copied once into zero-bordered planes whose rows lie <c>W + 2</c> apart, so that
/// outputs counted along that padded grid (two unused columns per row) read every tap as one contiguous run: output
/// position q takes tap (kh, kw) from q + kh (W + 2) + kw. The register tile is four vectors of 16 such positions by
/// <see cref="ChannelsPerTile"/> output channels; per input channel and tap it loads four vectors of input and
/// broadcasts five weights into twenty multiply-adds, so it runs at the rate of the FMA units while the im2col path
/// copies each input value nine times and packs it again. The tile's outputs go through a small buffer into the
/// output rows with bias, residual and activation applied on the way.
/// </summary>
internal static unsafe class Direct3x3Conv2d
{
    /// <summary>Output channels per register tile.</summary>
    internal const int ChannelsPerTile = 5;

    /// <summary>Padded-grid positions per register tile: four vectors of 16.</summary>
    internal const int PositionsPerTile = 64;

    /// <summary>Whether this path computes <paramref name="g"/>: a 3x3, stride-1, padding-1, undilated, ungrouped convolution on AVX-512.</summary>
    internal static bool Supports(in Conv2dGeometry g) =>
        Avx512F.IsSupported && Vector512.IsHardwareAccelerated
        && g.KernelHeight == 3 && g.KernelWidth == 3 && g.StrideHeight == 1 && g.StrideWidth == 1
        && g.PadHeight == 1 && g.PadWidth == 1 && g.DilationHeight == 1 && g.DilationWidth == 1 && g.Groups == 1;

    /// <summary>
    /// y = activation(conv(x, w) + bias + residual) for a geometry <see cref="Supports"/> accepts; pointers as for
    /// <see cref="Conv2dKernel.ForwardFused"/>, geometry already validated.
    /// </summary>
    internal static void Forward(in Conv2dGeometry g, float* input, float* weight, float* bias, float* output,
        ActivationKind activation, float* residual)
    {
        var layout = new PlaneLayout(g);
        int tiles = (g.OutChannels + ChannelsPerTile - 1) / ChannelsPerTile;
        using var arranged = new ScratchBuffer(checked(tiles * g.InChannels * 9 * ChannelsPerTile));
        ArrangeWeights(g, weight, arranged.Pointer);
        float* w = arranged.Pointer;
        long imageIn = (long)g.InChannels * g.InHeight * g.InWidth, imageOut = (long)g.OutChannels * g.OutHeight * g.OutWidth;
        var geometry = g;
        int threads = Parallelism.ThreadsHere;
        if (threads > 1 && (g.Batch % threads == 0 || g.Batch >= 4 * threads))
        {
            // Whole images per thread: one fork and join per call.
            Parallelism.ForWhole(0, g.Batch, n =>
            {
                using var padded = new ScratchBuffer(layout.PaddedLength);
                using var staging = new ScratchBuffer(layout.StagingLength);
                Pad(geometry, layout, input + n * imageIn, padded.Pointer, 0, geometry.InChannels);
                for (int tile = 0; tile < tiles; tile++)
                    RunTile(geometry, layout, padded.Pointer, w, tile, bias, output + n * imageOut, residual == null ? null : residual + n * imageOut, activation, staging.Pointer);
            }, bfloat16: false);
            return;
        }
        using var shared = new ScratchBuffer(layout.PaddedLength);
        float* paddedImage = shared.Pointer;
        for (int n = 0; n < g.Batch; n++)
        {
            float* x = input + n * imageIn, y = output + n * imageOut, r = residual == null ? null : residual + n * imageOut;
            Parallelism.For(0, g.InChannels, c => Pad(geometry, layout, x, paddedImage, c, c + 1), Math.Max(1, 4096 / layout.PlaneLength));
            Parallelism.ForChunks(0, tiles, tiles, (first, last) =>
            {
                using var staging = new ScratchBuffer(layout.StagingLength);
                for (int tile = first; tile < last; tile++) RunTile(geometry, layout, paddedImage, w, tile, bias, y, r, activation, staging.Pointer);
            });
        }
    }

    /// <summary>
    /// Where things lie in the padded planes: rows <see cref="Pitch"/> = W + 2 apart, the image's first row one row
    /// down and its first column one column in, and <see cref="Positions"/> padded-grid outputs rounded up to whole
    /// tiles, each plane long enough for the last tile's farthest tap.
    /// </summary>
    private readonly struct PlaneLayout
    {
        public PlaneLayout(in Conv2dGeometry g)
        {
            Pitch = g.InWidth + 2;
            Positions = (g.OutHeight * Pitch + PositionsPerTile - 1) / PositionsPerTile * PositionsPerTile;
            PlaneLength = (Positions + 2 * Pitch + 2 + 15) / 16 * 16;
            PaddedLength = checked(g.InChannels * PlaneLength);
            StagingLength = ChannelsPerTile * Positions;
        }

        public int Pitch { get; }

        public int Positions { get; }

        public int PlaneLength { get; }

        public int PaddedLength { get; }

        public int StagingLength { get; }
    }

    /// <summary>
    /// w[co, c, kh, kw] to [tile][c][kh * 3 + kw][co % 5], output channels past the last zero; tiles in parallel, each
    /// output channel's weights read in order.
    /// </summary>
    private static void ArrangeWeights(in Conv2dGeometry g, float* weight, float* arranged)
    {
        int cin = g.InChannels, cout = g.OutChannels, tiles = (cout + ChannelsPerTile - 1) / ChannelsPerTile;
        long tileLength = (long)cin * 9 * ChannelsPerTile;
        Parallelism.For(0, tiles, tile =>
        {
            float* d = arranged + tile * tileLength;
            for (int j = 0; j < ChannelsPerTile; j++)
            {
                int co = tile * ChannelsPerTile + j;
                float* source = weight + (long)co * cin * 9;
                for (long i = 0; i < cin * 9; i++) d[i * ChannelsPerTile + j] = co < cout ? source[i] : 0f;
            }
        }, Math.Max(1, 16384 / (cin * 9 * ChannelsPerTile)));
    }

    /// <summary>Copies channels [from, to) of one image into their zero-bordered planes.</summary>
    private static void Pad(in Conv2dGeometry g, in PlaneLayout layout, float* image, float* padded, int from, int to)
    {
        int h = g.InHeight, w = g.InWidth, pitch = layout.Pitch;
        for (int c = from; c < to; c++)
        {
            float* plane = padded + (long)c * layout.PlaneLength;
            float* source = image + (long)c * h * w;
            new Span<float>(plane, pitch + 1).Clear();
            for (int row = 0; row < h; row++)
            {
                float* d = plane + (row + 1) * pitch + 1;
                new ReadOnlySpan<float>(source + row * w, w).CopyTo(new Span<float>(d, w));
                d[w] = 0f;
                d[w + 1] = 0f;
            }
            int written = (h + 1) * pitch + 1;
            new Span<float>(plane + written, layout.PlaneLength - written).Clear();
        }
    }

    /// <summary>All padded-grid positions of one tile of output channels, then their rows into the output with the epilogue.</summary>
    private static void RunTile(in Conv2dGeometry g, in PlaneLayout layout, float* padded, float* arranged, int tile, float* bias,
        float* output, float* residual, ActivationKind activation, float* staging)
    {
        int cin = g.InChannels;
        float* w = arranged + (long)tile * cin * 9 * ChannelsPerTile;
        for (int q = 0; q < layout.Positions; q += PositionsPerTile)
            Kernel(padded + q, layout.PlaneLength, layout.Pitch, cin, w, staging + q, layout.Positions);
        int plane = g.OutHeight * g.OutWidth, width = g.OutWidth;
        for (int j = 0; j < ChannelsPerTile; j++)
        {
            int co = tile * ChannelsPerTile + j;
            if (co >= g.OutChannels) break;
            float* y = output + (long)co * plane;
            float* s = staging + (long)j * layout.Positions;
            for (int row = 0; row < g.OutHeight; row++)
                new ReadOnlySpan<float>(s + row * layout.Pitch, width).CopyTo(new Span<float>(y + row * width, width));
            FusedEpilogue.ApplyRow(activation, y, plane, bias == null ? 0f : bias[co], residual == null ? null : residual + (long)co * plane);
        }
    }

    /// <summary>
    /// 64 padded-grid positions from <paramref name="x"/> (channel 0's plane, offset to the first position) by five output
    /// channels, summed over all input channels and taps, stored at <paramref name="y"/> (row stride <paramref name="ldy"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(float* x, int planeLength, int pitch, int cin, float* w, float* y, int ldy)
    {
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
        Vector512<float> a40 = default, a41 = default, a42 = default, a43 = default;
        for (int c = 0; c < cin; c++)
        {
            float* plane = x + (long)c * planeLength;
            for (int kh = 0; kh < 3; kh++)
            {
                float* row = plane + kh * pitch;
                for (int kw = 0; kw < 3; kw++)
                {
                    float* s = row + kw;
                    Vector512<float> v0 = Vector512.Load(s), v1 = Vector512.Load(s + 16), v2 = Vector512.Load(s + 32), v3 = Vector512.Load(s + 48);
                    Vector512<float> b = Vector512.Create(w[0]);
                    a00 = Vector512.FusedMultiplyAdd(v0, b, a00);
                    a01 = Vector512.FusedMultiplyAdd(v1, b, a01);
                    a02 = Vector512.FusedMultiplyAdd(v2, b, a02);
                    a03 = Vector512.FusedMultiplyAdd(v3, b, a03);
                    b = Vector512.Create(w[1]);
                    a10 = Vector512.FusedMultiplyAdd(v0, b, a10);
                    a11 = Vector512.FusedMultiplyAdd(v1, b, a11);
                    a12 = Vector512.FusedMultiplyAdd(v2, b, a12);
                    a13 = Vector512.FusedMultiplyAdd(v3, b, a13);
                    b = Vector512.Create(w[2]);
                    a20 = Vector512.FusedMultiplyAdd(v0, b, a20);
                    a21 = Vector512.FusedMultiplyAdd(v1, b, a21);
                    a22 = Vector512.FusedMultiplyAdd(v2, b, a22);
                    a23 = Vector512.FusedMultiplyAdd(v3, b, a23);
                    b = Vector512.Create(w[3]);
                    a30 = Vector512.FusedMultiplyAdd(v0, b, a30);
                    a31 = Vector512.FusedMultiplyAdd(v1, b, a31);
                    a32 = Vector512.FusedMultiplyAdd(v2, b, a32);
                    a33 = Vector512.FusedMultiplyAdd(v3, b, a33);
                    b = Vector512.Create(w[4]);
                    a40 = Vector512.FusedMultiplyAdd(v0, b, a40);
                    a41 = Vector512.FusedMultiplyAdd(v1, b, a41);
                    a42 = Vector512.FusedMultiplyAdd(v2, b, a42);
                    a43 = Vector512.FusedMultiplyAdd(v3, b, a43);
                    w += ChannelsPerTile;
                }
            }
        }
        Store(y, a00, a01, a02, a03);
        Store(y + ldy, a10, a11, a12, a13);
        Store(y + 2 * ldy, a20, a21, a22, a23);
        Store(y + 3 * ldy, a30, a31, a32, a33);
        Store(y + 4 * ldy, a40, a41, a42, a43);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* y, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3)
    {
        v0.Store(y);
        v1.Store(y + 16);
        v2.Store(y + 32);
        v3.Store(y + 48);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Pooling;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// Direct convolution in float32 on AVX-512 or AVX2, for any kernel size and padding at stride 1 or 2 (ungrouped, undilated):
/// no column matrix and no packing. Each image's channels are copied once into zero-bordered planes, split at stride 2
/// into four phase planes (even and odd rows by even and odd columns), whose rows lie <see cref="PlaneLayout.Pitch"/>
/// apart; outputs counted along that grid (a few unused columns per row) then read every tap as one contiguous run:
/// output position q takes tap (kh, kw) from q plus a fixed offset in the tap's phase plane. The register tile is four
/// vectors of 16 positions by <see cref="ChannelsPerTile"/> output channels (three vectors of 8 by four on AVX2); per
/// input channel and tap it loads four vectors of input and broadcasts five weights into twenty multiply-adds (three
/// and four into twelve on AVX2), so it runs at the rate of the FMA units
/// while the im2col path copies each input value once per tap and packs it again. The tile's outputs go through a
/// small buffer into the output rows with bias, residual and activation applied on the way. Inside a bfloat16 scope
/// (<see cref="Gemm.BFloat16Scope"/>) the planes hold channel pairs rounded to bfloat16 and
/// <see cref="BFloat16DirectKernel"/> runs the same tile with twice the multiply-adds per instruction.
/// </summary>
internal static unsafe class DirectConv2d
{
    /// <summary>Output channels per register tile.</summary>
    internal static int ChannelsPerTile => Wide ? ChannelsPerWideTile : ChannelsPerAvx2Tile;

    /// <summary>Output channels per register tile on AVX-512.</summary>
    internal const int ChannelsPerWideTile = 5;

    /// <summary>Output channels per register tile on AVX2.</summary>
    internal const int ChannelsPerAvx2Tile = 4;

    /// <summary>Grid positions per register tile on AVX-512: four vectors of 16.</summary>
    internal const int PositionsPerWideTile = 64;

    /// <summary>
    /// Grid positions per register tile on AVX2: three vectors of 8 by four channels, so that the twelve accumulators,
    /// the three input vectors and a broadcast weight fill its sixteen registers (five channels by two vectors, seven
    /// loads for ten multiply-adds, ran at about 130 GFLOP/s on two Zen 3 cores).
    /// </summary>
    internal const int PositionsPerAvx2Tile = 24;

    /// <summary>Whether the tiles run on 16-float vectors (AVX-512) rather than 8-float ones (AVX2).</summary>
    internal static bool Wide => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>
    /// Whether this path computes <paramref name="g"/>: AVX-512, or AVX2 with FMA; ungrouped, undilated, the same stride
    /// of 1 or 2 both ways, a kernel of more than one tap and padding smaller than the kernel.
    /// </summary>
    internal static bool Supports(in Conv2dGeometry g) =>
        (Wide || Avx2.IsSupported && Fma.IsSupported)
        && g.Groups == 1 && g.DilationHeight == 1 && g.DilationWidth == 1
        && g.StrideHeight == g.StrideWidth && g.StrideHeight is 1 or 2
        && g.KernelHeight * g.KernelWidth > 1 && g.PadHeight < g.KernelHeight && g.PadWidth < g.KernelWidth;

    /// <summary>
    /// y = activation(conv(x, w) + bias + residual) for a geometry <see cref="Supports"/> accepts; pointers as for
    /// <see cref="Conv2dKernel.ForwardFused"/>, geometry already validated. With <paramref name="maxPool"/> (its input
    /// the convolution's output, no residual), <paramref name="output"/> receives the max-pooled map instead
    /// [Batch, OutChannels, pooled height, pooled width]: each tile of channels is pooled as it is finished, from a
    /// buffer that stays in cache, so the full-size output is never written or read back. Inside a bfloat16 scope, where
    /// <see cref="BFloat16DirectKernel"/> is available, input and weights are rounded to bfloat16 (sums in fp32).
    /// </summary>
    internal static void Forward(in Conv2dGeometry g, float* input, float* weight, float* bias, float* output,
        ActivationKind activation, float* residual, Pool2dGeometry? maxPool = null)
    {
        var layout = new PlaneLayout(g, Gemm.BFloat16Scope.IsActive && BFloat16DirectKernel.IsAvailable);
        int taps = g.KernelHeight * g.KernelWidth, tiles = (g.OutChannels + ChannelsPerTile - 1) / ChannelsPerTile;
        var geometry = g;
        using var arranged = layout.BFloat16
            ? PreparedConvWeights.Prepare(weight, nameof(DirectConv2d) + ".BFloat16", checked(tiles * layout.Units * taps * ChannelsPerTile),
                destination => ArrangePairedWeights(geometry, weight, (uint*)destination))
            : PreparedConvWeights.Prepare(weight, nameof(DirectConv2d), checked(tiles * g.InChannels * taps * ChannelsPerTile),
                destination => ArrangeWeights(geometry, weight, destination));
        float* w = arranged.Pointer;
        using var offsets = new ScratchBuffer(taps);
        int* tapOffsets = (int*)offsets.Pointer;
        for (int kh = 0; kh < g.KernelHeight; kh++)
            for (int kw = 0; kw < g.KernelWidth; kw++)
                tapOffsets[kh * g.KernelWidth + kw] = layout.TapOffset(kh, kw);
        long imageIn = (long)g.InChannels * g.InHeight * g.InWidth, imageOut = (long)g.OutChannels * g.OutHeight * g.OutWidth;
        long imageResult = maxPool is { } pool ? (long)g.OutChannels * pool.OutPlane : imageOut;
        int pooledTileLength = maxPool is null ? 0 : ChannelsPerTile * g.OutHeight * g.OutWidth;
        if (Parallelism.SharesOutWhole(g.Batch))
        {
            // Whole images per thread: one fork and join per call.
            Parallelism.ForWhole(0, g.Batch, n =>
            {
                using var planes = new ScratchBuffer(layout.ImageLength);
                using var staging = new ScratchBuffer(layout.StagingLength);
                using var pooledTile = new ScratchBuffer(pooledTileLength);
                Split(geometry, layout, input + n * imageIn, planes.Pointer, 0, layout.Units);
                for (int tile = 0; tile < tiles; tile++)
                {
                    RunTileOrPool(geometry, layout, planes.Pointer, tapOffsets, w, tile, bias, output + n * imageResult,
                        residual == null ? null : residual + n * imageOut, activation, staging.Pointer, maxPool, pooledTile.Pointer);
                }
            }, bfloat16: false);
            return;
        }
        using var shared = new ScratchBuffer(layout.ImageLength);
        float* imagePlanes = shared.Pointer;
        for (int n = 0; n < g.Batch; n++)
        {
            float* x = input + n * imageIn, y = output + n * imageResult, r = residual == null ? null : residual + n * imageOut;
            Parallelism.For(0, layout.Units, u => Split(geometry, layout, x, imagePlanes, u, u + 1), Math.Max(1, 4096 / layout.ChannelLength));
            Parallelism.ForChunks(0, tiles, tiles, (first, last) =>
            {
                using var staging = new ScratchBuffer(layout.StagingLength);
                using var pooledTile = new ScratchBuffer(pooledTileLength);
                for (int tile = first; tile < last; tile++)
                    RunTileOrPool(geometry, layout, imagePlanes, tapOffsets, w, tile, bias, y, r, activation, staging.Pointer, maxPool, pooledTile.Pointer);
            });
        }
    }

    /// <summary>The share of the positions the kernel computes for <paramref name="g"/> that are outputs (the rest pad rows and tiles).</summary>
    internal static double UsefulShare(in Conv2dGeometry g) => (double)g.OutHeight * g.OutWidth / new PlaneLayout(g, false).Positions;

    /// <summary>
    /// Where things lie: per unit (an input channel, or in bfloat16 a pair of them, <see cref="Units"/>), stride x stride
    /// phase planes of <see cref="PlaneLength"/> 32-bit slots (a float, or two bfloat16 values), phase
    /// (a, b) holding the zero-padded input's rows a, a + s, ... and columns b, b + s, ... with rows
    /// <see cref="Pitch"/> apart; output (oh, ow) is grid position oh * Pitch + ow, and <see cref="Positions"/> rounds
    /// the grid up to whole tiles. Each plane is long enough for the last tile's farthest tap.
    /// </summary>
    private readonly struct PlaneLayout
    {
        public PlaneLayout(in Conv2dGeometry g, bool bfloat16)
        {
            BFloat16 = bfloat16;
            Units = bfloat16 ? (g.InChannels + 1) / 2 : g.InChannels;
            Stride = g.StrideHeight;
            PositionsPerTile = Wide ? PositionsPerWideTile : PositionsPerAvx2Tile;
            Pitch = g.OutWidth + (g.KernelWidth - 1) / Stride;
            Positions = (g.OutHeight * Pitch + PositionsPerTile - 1) / PositionsPerTile * PositionsPerTile;
            int farthest = (g.KernelHeight - 1) / Stride * Pitch + (g.KernelWidth - 1) / Stride;
            PlaneLength = (Positions + farthest + 15) / 16 * 16;
            ChannelLength = Stride * Stride * PlaneLength;
            ImageLength = checked(Units * ChannelLength);
            StagingLength = ChannelsPerTile * Positions;
        }

        /// <summary>Whether the planes hold bfloat16 channel pairs.</summary>
        public bool BFloat16 { get; }

        /// <summary>Grid positions per register tile: <see cref="PositionsPerWideTile"/> or <see cref="PositionsPerAvx2Tile"/>.</summary>
        public int PositionsPerTile { get; }

        /// <summary>Planes per image: input channels, or in bfloat16 pairs of them (the last one half zero for an odd count).</summary>
        public int Units { get; }

        public int Stride { get; }

        public int Pitch { get; }

        public int Positions { get; }

        public int PlaneLength { get; }

        public int ChannelLength { get; }

        public int ImageLength { get; }

        public int StagingLength { get; }

        /// <summary>Where tap (kh, kw) of grid position 0 lies within a channel's planes.</summary>
        public int TapOffset(int kh, int kw) =>
            ((kh % Stride) * Stride + kw % Stride) * PlaneLength + kh / Stride * Pitch + kw / Stride;
    }

    /// <summary>
    /// w[co, c, kh, kw] to [tile][c][kh * KW + kw][co % 5], output channels past the last zero; tiles in parallel, each
    /// output channel's weights read in order.
    /// </summary>
    private static void ArrangeWeights(in Conv2dGeometry g, float* weight, float* arranged)
    {
        int cin = g.InChannels, cout = g.OutChannels, perChannel = cin * g.KernelHeight * g.KernelWidth;
        int tiles = (cout + ChannelsPerTile - 1) / ChannelsPerTile;
        long tileLength = (long)perChannel * ChannelsPerTile;
        Parallelism.For(0, tiles, tile =>
        {
            float* d = arranged + tile * tileLength;
            for (int j = 0; j < ChannelsPerTile; j++)
            {
                int co = tile * ChannelsPerTile + j;
                float* source = weight + (long)co * perChannel;
                for (long i = 0; i < perChannel; i++) d[i * ChannelsPerTile + j] = co < cout ? source[i] : 0f;
            }
        }, Math.Max(1, 16384 / (perChannel * ChannelsPerTile)));
    }

    /// <summary>
    /// As <see cref="ArrangeWeights"/> with input channels in bfloat16 pairs: [tile][pair][tap][co % 5] slots, channel 2p's
    /// weight in the low half and 2p + 1's (zero past the last channel) in the high half. The float32 arrangement is made
    /// first; each tile's runs of two consecutive channels are then interleaved.
    /// </summary>
    private static void ArrangePairedWeights(in Conv2dGeometry g, float* weight, uint* arranged)
    {
        int cin = g.InChannels, pairs = (cin + 1) / 2, run = g.KernelHeight * g.KernelWidth * ChannelsPerTile;
        int tiles = (g.OutChannels + ChannelsPerTile - 1) / ChannelsPerTile;
        using var plain = new ScratchBuffer(checked(tiles * cin * run));
        float* channels = plain.Pointer;
        ArrangeWeights(g, weight, channels);
        Parallelism.For(0, tiles, tile =>
        {
            float* source = channels + (long)tile * cin * run;
            uint* d = arranged + (long)tile * pairs * run;
            for (int p = 0; p < pairs; p++)
            {
                uint* odd = 2 * p + 1 < cin ? (uint*)(source + (long)(2 * p + 1) * run) : null;
                Gemm.BFloat16Pairs.Interleave((uint*)(source + (long)2 * p * run), odd, d + (long)p * run, run);
            }
        }, Math.Max(1, 16384 / (cin * run)));
    }

    /// <summary>
    /// Copies units [from, to) of one image into their zero-padded phase planes; in bfloat16 each pair's two channels go
    /// through float32 planes in a small buffer and are then rounded and interleaved.
    /// </summary>
    private static void Split(in Conv2dGeometry g, in PlaneLayout layout, float* image, float* planes, int from, int to)
    {
        if (!layout.BFloat16)
        {
            for (int c = from; c < to; c++) SplitChannel(g, layout, image, c, planes + (long)c * layout.ChannelLength);
            return;
        }
        using var pair = new ScratchBuffer(2 * layout.ChannelLength);
        for (int p = from; p < to; p++)
        {
            bool odd = 2 * p + 1 < g.InChannels;
            SplitChannel(g, layout, image, 2 * p, pair.Pointer);
            if (odd) SplitChannel(g, layout, image, 2 * p + 1, pair.Pointer + layout.ChannelLength);
            Gemm.BFloat16Pairs.Interleave((uint*)pair.Pointer, odd ? (uint*)(pair.Pointer + layout.ChannelLength) : null,
                (uint*)(planes + (long)p * layout.ChannelLength), layout.ChannelLength);
        }
    }

    /// <summary>Copies channel <paramref name="c"/> of one image into its zero-padded float32 phase planes at <paramref name="destination"/>.</summary>
    private static void SplitChannel(in Conv2dGeometry g, in PlaneLayout layout, float* image, int c, float* destination)
    {
        int h = g.InHeight, w = g.InWidth, s = layout.Stride, pitch = layout.Pitch, rows = layout.PlaneLength / pitch;
        float* source = image + (long)c * h * w;
        for (int a = 0; a < s; a++)
        {
            for (int b = 0; b < s; b++)
            {
                float* plane = destination + (a * s + b) * layout.PlaneLength;
                new Span<float>(plane, layout.PlaneLength).Clear();
                // Grid column j holds input column j * s + b - PadWidth: those inside the image, [first, last).
                int first = Math.Max(0, (g.PadWidth - b + s - 1) / s), last = Math.Min(pitch, (w + g.PadWidth - b + s - 1) / s);
                if (first >= last) continue;
                for (int r = 0; r < rows; r++)
                {
                    int row = r * s + a - g.PadHeight;
                    if (row < 0) continue;
                    if (row >= h) break;
                    float* d = plane + r * pitch;
                    float* line = source + row * w + first * s + b - g.PadWidth;
                    if (s == 1) new ReadOnlySpan<float>(line, last - first).CopyTo(new Span<float>(d + first, last - first));
                    else StridedGather.Copy(line, s, d + first, last - first);
                }
            }
        }
    }

    /// <summary>
    /// One tile of output channels into the image's output <paramref name="output"/>, or with <paramref name="maxPool"/>
    /// into <paramref name="pooledTile"/> (its channels' planes) and from there max-pooled into the image's pooled output.
    /// </summary>
    private static void RunTileOrPool(in Conv2dGeometry g, in PlaneLayout layout, float* planes, int* tapOffsets, float* arranged, int tile,
        float* bias, float* output, float* residual, ActivationKind activation, float* staging, Pool2dGeometry? maxPool, float* pooledTile)
    {
        if (maxPool is not { } pool)
        {
            RunTile(g, layout, planes, tapOffsets, arranged, tile, bias, output, residual, activation, staging);
            return;
        }
        long first = (long)tile * ChannelsPerTile, plane = (long)g.OutHeight * g.OutWidth;
        // Shifted so that the tile's first channel lands at the buffer's start.
        RunTile(g, layout, planes, tapOffsets, arranged, tile, bias, pooledTile - first * plane, null, activation, staging);
        MaxPool2dKernel.ForwardValuesSerial(pool, pooledTile, output + first * pool.OutPlane, (int)Math.Min(ChannelsPerTile, g.OutChannels - first));
    }

    /// <summary>All grid positions of one tile of output channels, then their rows into the output with the epilogue.</summary>
    private static void RunTile(in Conv2dGeometry g, in PlaneLayout layout, float* planes, int* tapOffsets, float* arranged, int tile,
        float* bias, float* output, float* residual, ActivationKind activation, float* staging)
    {
        int units = layout.Units, taps = g.KernelHeight * g.KernelWidth;
        float* w = arranged + (long)tile * units * taps * ChannelsPerTile;
        if (layout.BFloat16)
        {
            for (int q = 0; q < layout.Positions; q += layout.PositionsPerTile)
                BFloat16DirectKernel.Run((uint*)planes + q, layout.ChannelLength, tapOffsets, taps, units, (uint*)w, staging + q, layout.Positions);
        }
        else if (layout.PositionsPerTile == PositionsPerWideTile)
        {
            for (int q = 0; q < layout.Positions; q += PositionsPerWideTile)
                Kernel(planes + q, layout.ChannelLength, tapOffsets, taps, units, w, staging + q, layout.Positions);
        }
        else
        {
            for (int q = 0; q < layout.Positions; q += PositionsPerAvx2Tile)
                KernelAvx2(planes + q, layout.ChannelLength, tapOffsets, taps, units, w, staging + q, layout.Positions);
        }
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
    /// 64 grid positions from <paramref name="x"/> (channel 0's planes, offset to the first position) by five output
    /// channels, summed over all input channels and taps, stored at <paramref name="y"/> (row stride <paramref name="ldy"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(float* x, int channelLength, int* tapOffsets, int taps, int cin, float* w, float* y, int ldy)
    {
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
        Vector512<float> a40 = default, a41 = default, a42 = default, a43 = default;
        for (int c = 0; c < cin; c++)
        {
            float* channel = x + (long)c * channelLength;
            for (int t = 0; t < taps; t++)
            {
                float* s = channel + tapOffsets[t];
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
                w += ChannelsPerWideTile;
            }
        }
        Store(y, a00, a01, a02, a03);
        Store(y + ldy, a10, a11, a12, a13);
        Store(y + 2 * ldy, a20, a21, a22, a23);
        Store(y + 3 * ldy, a30, a31, a32, a33);
        Store(y + 4 * ldy, a40, a41, a42, a43);
    }

    /// <summary>As <see cref="Kernel"/> on AVX2: 24 grid positions (three vectors of 8) by four output channels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelAvx2(float* x, int channelLength, int* tapOffsets, int taps, int cin, float* w, float* y, int ldy)
    {
        Vector256<float> a00 = default, a01 = default, a02 = default, a10 = default, a11 = default, a12 = default;
        Vector256<float> a20 = default, a21 = default, a22 = default, a30 = default, a31 = default, a32 = default;
        for (int c = 0; c < cin; c++)
        {
            float* channel = x + (long)c * channelLength;
            for (int t = 0; t < taps; t++)
            {
                float* s = channel + tapOffsets[t];
                Vector256<float> v0 = Vector256.Load(s), v1 = Vector256.Load(s + 8), v2 = Vector256.Load(s + 16);
                Vector256<float> b = Vector256.Create(w[0]);
                a00 = Vector256.FusedMultiplyAdd(v0, b, a00);
                a01 = Vector256.FusedMultiplyAdd(v1, b, a01);
                a02 = Vector256.FusedMultiplyAdd(v2, b, a02);
                b = Vector256.Create(w[1]);
                a10 = Vector256.FusedMultiplyAdd(v0, b, a10);
                a11 = Vector256.FusedMultiplyAdd(v1, b, a11);
                a12 = Vector256.FusedMultiplyAdd(v2, b, a12);
                b = Vector256.Create(w[2]);
                a20 = Vector256.FusedMultiplyAdd(v0, b, a20);
                a21 = Vector256.FusedMultiplyAdd(v1, b, a21);
                a22 = Vector256.FusedMultiplyAdd(v2, b, a22);
                b = Vector256.Create(w[3]);
                a30 = Vector256.FusedMultiplyAdd(v0, b, a30);
                a31 = Vector256.FusedMultiplyAdd(v1, b, a31);
                a32 = Vector256.FusedMultiplyAdd(v2, b, a32);
                w += ChannelsPerAvx2Tile;
            }
        }
        StoreAvx2(y, a00, a01, a02);
        StoreAvx2(y + ldy, a10, a11, a12);
        StoreAvx2(y + 2 * ldy, a20, a21, a22);
        StoreAvx2(y + 3 * ldy, a30, a31, a32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreAvx2(float* y, Vector256<float> v0, Vector256<float> v1, Vector256<float> v2)
    {
        v0.Store(y);
        v1.Store(y + 8);
        v2.Store(y + 16);
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

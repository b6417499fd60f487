using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Elementwise;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// The depthwise forward pass on small planes with the channels in the vector lanes: a block of 64 channels of one
/// image is transposed to [pixel, channel] in 8 x 8 tiles, every output pixel is then four vectors of 16 channels whose
/// taps are whole-vector loads of the input pixel and of the tap's weights, and the result is transposed back. On a 7x7
/// or 14x14 plane a row or a plane is not a whole number of vectors, and the flat and phase layouts spent a quarter or
/// more of their lanes on padding and their time on copies (MobileNetV2's 960-channel 7x7 layer ran at 48 GFLOP/s); with
/// the channels in the lanes nothing is wasted but the transposes. The even taps are summed onto the bias and the odd
/// ones apart, then added, as <see cref="DepthwiseTaps"/> does, so the sums agree with the phase split bit for bit
/// (taps that fall on the padding are skipped where those add a zero).
/// </summary>
internal static unsafe class DepthwiseChannelsLastConv2d
{
    /// <summary>Whether depthwise layers take this kernel where it is preferred; benchmarks and tests switch it off to compare.</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>Channels per work item: four vectors, each with an even-tap and an odd-tap chain.</summary>
    internal const int ChannelBlock = 64;

    /// <summary>Input pixels per plane up to which the kernel is preferred.</summary>
    internal const int MaxPreferredPlane = 14 * 14;

    /// <summary>
    /// Whether this kernel computes <paramref name="g"/>: one output channel per input channel, no dilation, no residual
    /// (the caller's), on AVX-512 or AVX2 with FMA.
    /// </summary>
    public static bool Handles(in Conv2dGeometry g) =>
        (Avx512F.IsSupported && Vector512.IsHardwareAccelerated || Avx2.IsSupported && Fma.IsSupported) && PackTranspose.IsSupported
        && g.Groups == g.InChannels && g.OutChannels == g.InChannels
        && g.DilationHeight == 1 && g.DilationWidth == 1 && g.OutHeight > 0 && g.OutWidth > 0;

    /// <summary>Whether the depthwise forward pass takes this kernel for <paramref name="g"/>: planes of at most <see cref="MaxPreferredPlane"/> pixels.</summary>
    public static bool Prefers(in Conv2dGeometry g) => Enabled && Handles(g) && g.InHeight * g.InWidth <= MaxPreferredPlane;

    /// <summary>
    /// output = activation(depthwise conv(input, weight) + bias + residual); see <see cref="Conv2dKernel.ForwardFused"/>.
    /// Needs <see cref="Handles"/>.
    /// </summary>
    public static void Forward(in Conv2dGeometry g, float* input, float* weight, float* bias, float* output,
        ActivationKind activation, float* residual)
    {
        switch (residual == null ? activation : ActivationKind.Identity)
        {
            case ActivationKind.Identity: Forward(default(IdentityOperator), g, input, weight, bias, output); break;
            case ActivationKind.ReLU: Forward(default(ReluOperator), g, input, weight, bias, output); break;
            case ActivationKind.ReLU6: Forward(default(Relu6Operator), g, input, weight, bias, output); break;
            case ActivationKind.SiLU: Forward(default(SiluOperator), g, input, weight, bias, output); break;
            case ActivationKind.Sigmoid: Forward(default(SigmoidOperator), g, input, weight, bias, output); break;
            case ActivationKind.Hardswish: Forward(default(HardswishOperator), g, input, weight, bias, output); break;
            case ActivationKind.Tanh: Forward(default(TanhOperator), g, input, weight, bias, output); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
        // With a residual the activation follows the add: one pass over the output, as the phase split does.
        if (residual != null) FusedEpilogue.ApplyPlanes(activation, output, g.Batch, g.OutChannels, g.OutHeight * g.OutWidth, null, residual);
    }

    private static void Forward<TOp>(TOp op, Conv2dGeometry g, float* input, float* weight, float* bias, float* output)
        where TOp : struct, IUnaryOperator
    {
        int channels = g.InChannels, taps = g.KernelHeight * g.KernelWidth, blocks = (channels + ChannelBlock - 1) / ChannelBlock;
        int padded = blocks * ChannelBlock, planeIn = g.InHeight * g.InWidth, planeOut = g.OutHeight * g.OutWidth;
        // The weights as [tap, channel] (kept across calls where the weights are), and the bias; zero past the last channel.
        using var arranged = PreparedConvWeights.Prepare(weight, nameof(DepthwiseChannelsLastConv2d), checked(taps * padded),
            destination => ArrangeWeights(weight, channels, taps, padded, destination));
        using var paddedBias = new ScratchBuffer(padded);
        new Span<float>(paddedBias.Pointer, padded).Clear();
        if (bias != null) new ReadOnlySpan<float>(bias, channels).CopyTo(new Span<float>(paddedBias.Pointer, channels));
        float* w = arranged.Pointer, b = paddedBias.Pointer;
        int items = g.Batch * blocks;
        int workers = DepthwiseConv2d.Workers(items, ChannelBlock * planeOut * taps);
        Parallelism.ForChunks(0, items, workers, (start, end) =>
        {
            using var pixels = new ScratchBuffer(planeIn * ChannelBlock);
            using var results = new ScratchBuffer(planeOut * ChannelBlock);
            // Lanes past a block's last channel are read (their weights are zero) but never stored.
            new Span<float>(pixels.Pointer, planeIn * ChannelBlock).Clear();
            for (int item = start; item < end; item++)
            {
                int n = item / blocks, c0 = item % blocks * ChannelBlock, count = Math.Min(ChannelBlock, channels - c0);
                Transpose(input + ((long)n * channels + c0) * planeIn, planeIn, pixels.Pointer, ChannelBlock, count, planeIn);
                if (Avx512F.IsSupported) ComputeBlock(op, g, pixels.Pointer, w + c0, padded, b + c0, results.Pointer);
                else if (FusedEpilogue.FitsBesideAccumulators<TOp>()) ComputeHalves(op, g, pixels.Pointer, w + c0, padded, b + c0, results.Pointer);
                else
                {
                    // The sixteen ymm registers hold the accumulators, a pixel and a weight: an exp-based activation
                    // applied before the store spilled its constants on every pixel (SiLU doubled the layer's time).
                    ComputeHalves(default(IdentityOperator), g, pixels.Pointer, w + c0, padded, b + c0, results.Pointer);
                    FusedEpilogue.ActivateInPlace(op, results.Pointer, planeOut * ChannelBlock);
                }
                Transpose(results.Pointer, ChannelBlock, output + ((long)n * channels + c0) * planeOut, planeOut, planeOut, count);
            }
        });
    }

    /// <summary>A block of 64 channels on AVX2, as two halves of 32 (<see cref="ComputeHalfBlock{TOp}"/>).</summary>
    private static void ComputeHalves<TOp>(TOp op, in Conv2dGeometry g, float* pixels, float* tapWeights, int weightStride, float* bias, float* results)
        where TOp : struct, IUnaryOperator
    {
        ComputeHalfBlock(op, g, pixels, tapWeights, weightStride, bias, results);
        ComputeHalfBlock(op, g, pixels + ChannelBlock / 2, tapWeights + ChannelBlock / 2, weightStride, bias + ChannelBlock / 2,
            results + ChannelBlock / 2);
    }

    /// <summary>destination[t * padded + c] = weight[c * taps + t], zero for the channels past the last.</summary>
    private static void ArrangeWeights(float* weight, int channels, int taps, int padded, float* destination)
    {
        new Span<float>(destination, taps * padded).Clear();
        Transpose(weight, taps, destination, padded, channels, taps);
    }

    /// <summary>
    /// dst[c * dstStride + r] = src[r * srcStride + c] for r in [0, rows), c in [0, columns): in 8 x 8 tiles where whole,
    /// element by element at the ragged edges.
    /// </summary>
    private static void Transpose(float* src, nint srcStride, float* dst, nint dstStride, int rows, int columns)
    {
        int wholeRows = rows / 8 * 8, wholeColumns = columns / 8 * 8;
        for (int r = 0; r < wholeRows; r += 8)
        {
            for (int c = 0; c < wholeColumns; c += 8) PackTranspose.Block8x8(src + r * srcStride + c, srcStride, dst + c * dstStride + r, dstStride, 1f);
            for (int c = wholeColumns; c < columns; c++)
                for (int i = r; i < r + 8; i++) dst[c * dstStride + i] = src[i * srcStride + c];
        }
        for (int r = wholeRows; r < rows; r++)
            for (int c = 0; c < columns; c++) dst[c * dstStride + r] = src[r * srcStride + c];
    }

    /// <summary>
    /// One block of 64 channels: for every output pixel, the taps in order onto an even and an odd chain per vector, then
    /// their sum and the activation, stored as [pixel, 64].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ComputeBlock<TOp>(TOp op, in Conv2dGeometry g, float* pixels, float* tapWeights, int weightStride, float* bias, float* results)
        where TOp : struct, IUnaryOperator
    {
        int kh = g.KernelHeight, kw = g.KernelWidth, width = g.InWidth;
        var b0 = Vector512.Load(bias);
        var b1 = Vector512.Load(bias + 16);
        var b2 = Vector512.Load(bias + 32);
        var b3 = Vector512.Load(bias + 48);
        for (int oy = 0; oy < g.OutHeight; oy++)
        {
            int top = oy * g.StrideHeight - g.PadHeight;
            // The kernel rows and columns that land inside the plane.
            int kyFirst = Math.Max(0, -top), kyEnd = Math.Min(kh, g.InHeight - top);
            for (int ox = 0; ox < g.OutWidth; ox++)
            {
                int left = ox * g.StrideWidth - g.PadWidth;
                int kxFirst = Math.Max(0, -left), kxEnd = Math.Min(kw, width - left);
                Vector512<float> a0 = b0, a1 = b1, a2 = b2, a3 = b3;
                Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
                for (int ky = kyFirst; ky < kyEnd; ky++)
                {
                    float* row = pixels + (long)((top + ky) * width + left) * ChannelBlock;
                    for (int kx = kxFirst; kx < kxEnd; kx++)
                    {
                        int t = ky * kw + kx;
                        float* p = row + kx * ChannelBlock;
                        float* w = tapWeights + (long)t * weightStride;
                        if ((t & 1) == 0) AddTap(p, w, ref a0, ref a1, ref a2, ref a3);
                        else AddTap(p, w, ref c0, ref c1, ref c2, ref c3);
                    }
                }
                float* r = results + (long)(oy * g.OutWidth + ox) * ChannelBlock;
                op.Invoke(a0 + c0).Store(r);
                op.Invoke(a1 + c1).Store(r + 16);
                op.Invoke(a2 + c2).Store(r + 32);
                op.Invoke(a3 + c3).Store(r + 48);
            }
        }
    }

    /// <summary>
    /// <see cref="ComputeBlock"/> with AVX2 for 32 of the block's 64 channels (the pointers at the first of them; rows of
    /// pixels and results stay 64 channels apart): four vectors of 8, each with an even-tap and an odd-tap chain, so that
    /// the sixteen ymm registers hold the accumulators, a pixel and a weight.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ComputeHalfBlock<TOp>(TOp op, in Conv2dGeometry g, float* pixels, float* tapWeights, int weightStride, float* bias, float* results)
        where TOp : struct, IUnaryOperator
    {
        int kh = g.KernelHeight, kw = g.KernelWidth, width = g.InWidth, taps = kh * kw;
        var b0 = Vector256.Load(bias);
        var b1 = Vector256.Load(bias + 8);
        var b2 = Vector256.Load(bias + 16);
        var b3 = Vector256.Load(bias + 24);
        // Where every tap falls inside the plane (most pixels), the taps run in pairs from a table of their offsets: the
        // general loop below spent more instructions on each tap's bounds, parity and addresses than on its four FMAs.
        int* tapOffsets = stackalloc int[taps];
        for (int t = 0; t < taps; t++) tapOffsets[t] = (t / kw * width + t % kw) * ChannelBlock;
        for (int oy = 0; oy < g.OutHeight; oy++)
        {
            int top = oy * g.StrideHeight - g.PadHeight;
            int kyFirst = Math.Max(0, -top), kyEnd = Math.Min(kh, g.InHeight - top);
            bool rowInside = kyFirst == 0 && kyEnd == kh;
            for (int ox = 0; ox < g.OutWidth; ox++)
            {
                int left = ox * g.StrideWidth - g.PadWidth;
                int kxFirst = Math.Max(0, -left), kxEnd = Math.Min(kw, width - left);
                Vector256<float> a0 = b0, a1 = b1, a2 = b2, a3 = b3;
                Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default;
                float* r = results + (long)(oy * g.OutWidth + ox) * ChannelBlock;
                if (rowInside && kxFirst == 0 && kxEnd == kw)
                {
                    // Even taps onto a, odd onto c, as the general loop does, so the bits agree.
                    float* corner = pixels + (long)(top * width + left) * ChannelBlock;
                    float* w = tapWeights;
                    int t = 0;
                    for (; t + 1 < taps; t += 2, w += 2 * weightStride)
                    {
                        AddTap(corner + tapOffsets[t], w, ref a0, ref a1, ref a2, ref a3);
                        AddTap(corner + tapOffsets[t + 1], w + weightStride, ref c0, ref c1, ref c2, ref c3);
                    }
                    if (t < taps) AddTap(corner + tapOffsets[t], w, ref a0, ref a1, ref a2, ref a3);
                    op.Invoke(a0 + c0).Store(r);
                    op.Invoke(a1 + c1).Store(r + 8);
                    op.Invoke(a2 + c2).Store(r + 16);
                    op.Invoke(a3 + c3).Store(r + 24);
                    continue;
                }
                for (int ky = kyFirst; ky < kyEnd; ky++)
                {
                    float* row = pixels + (long)((top + ky) * width + left) * ChannelBlock;
                    for (int kx = kxFirst; kx < kxEnd; kx++)
                    {
                        int t = ky * kw + kx;
                        float* p = row + kx * ChannelBlock;
                        float* w = tapWeights + (long)t * weightStride;
                        if ((t & 1) == 0) AddTap(p, w, ref a0, ref a1, ref a2, ref a3);
                        else AddTap(p, w, ref c0, ref c1, ref c2, ref c3);
                    }
                }
                op.Invoke(a0 + c0).Store(r);
                op.Invoke(a1 + c1).Store(r + 8);
                op.Invoke(a2 + c2).Store(r + 16);
                op.Invoke(a3 + c3).Store(r + 24);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTap(float* pixel, float* weights, ref Vector256<float> x0, ref Vector256<float> x1, ref Vector256<float> x2, ref Vector256<float> x3)
    {
        x0 = Vector256.FusedMultiplyAdd(Vector256.Load(pixel), Vector256.Load(weights), x0);
        x1 = Vector256.FusedMultiplyAdd(Vector256.Load(pixel + 8), Vector256.Load(weights + 8), x1);
        x2 = Vector256.FusedMultiplyAdd(Vector256.Load(pixel + 16), Vector256.Load(weights + 16), x2);
        x3 = Vector256.FusedMultiplyAdd(Vector256.Load(pixel + 24), Vector256.Load(weights + 24), x3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTap(float* pixel, float* weights, ref Vector512<float> x0, ref Vector512<float> x1, ref Vector512<float> x2, ref Vector512<float> x3)
    {
        x0 = Vector512.FusedMultiplyAdd(Vector512.Load(pixel), Vector512.Load(weights), x0);
        x1 = Vector512.FusedMultiplyAdd(Vector512.Load(pixel + 16), Vector512.Load(weights + 16), x1);
        x2 = Vector512.FusedMultiplyAdd(Vector512.Load(pixel + 32), Vector512.Load(weights + 32), x2);
        x3 = Vector512.FusedMultiplyAdd(Vector512.Load(pixel + 48), Vector512.Load(weights + 48), x3);
    }
}

using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// The depthwise forward pass read straight from the input planes, with no copy of them: each output row is computed
/// in blocks of up to 64 outputs, every tap one load per vector from its input row (two loads and an even-lane permute at
/// stride 2) times the tap's weight, the even taps summed onto the bias and the odd ones apart, then added, as
/// <see cref="DepthwiseTaps"/> does, so that the sums agree with the phase split bit for bit. Input rows above or below the
/// plane read a row of zeros; lanes that would read left or right of their row are zeroed by per-column masks in a
/// row's first and last blocks. Only the tensor's first and last planes, whose reads could leave the tensor, are copied
/// once into a buffer with zero margins.
/// The phase split copied every plane before its taps (at stride 1 a padded copy, a quarter of the layer's time on 56x56),
/// and at stride 2 wrote both column phases of the whole plane before reading them again. Blocks are four vectors of 16
/// on AVX-512 and of 8 on AVX2 (<c>DepthwiseDirectConv2d.Avx2.cs</c>).
/// </summary>
internal static unsafe partial class DepthwiseDirectConv2d
{
    /// <summary>Whether depthwise layers take this kernel where it applies; benchmarks and tests switch it off to compare.</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>Whether the blocks run on 16-float vectors (AVX-512) rather than 8-float ones (AVX2).</summary>
    private static bool Wide => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>Vectors of a full block, each with an even-tap and an odd-tap chain.</summary>
    private const int BlockVectors = 4;

    /// <summary>Zero floats before a guarded plane's copy and before the zero row: more than any left padding read.</summary>
    private const int Margin = 64;

    /// <summary>Largest kernel side taken; past it the masks and margins would need to grow.</summary>
    internal const int MaxKernel = 15;

    /// <summary>
    /// Whether this kernel computes <paramref name="g"/>: one output channel per input channel, equal strides of 1 or 2,
    /// no dilation, padding smaller than the kernel, on AVX-512 or AVX2 with FMA.
    /// </summary>
    public static bool Handles(in Conv2dGeometry g) =>
        Enabled && (Wide || Avx2.IsSupported && Fma.IsSupported)
        && g.Groups == g.InChannels && g.OutChannels == g.InChannels
        && g.StrideHeight == g.StrideWidth && g.StrideWidth is 1 or 2
        && g.DilationHeight == 1 && g.DilationWidth == 1
        && g.KernelWidth <= MaxKernel && g.KernelHeight <= MaxKernel
        && g.PadWidth < g.KernelWidth && g.PadHeight < g.KernelHeight
        && g.OutHeight > 0 && g.OutWidth > 0;

    /// <summary>Whether <see cref="Prefers"/> takes every geometry this kernel handles; benchmarks set it to compare.</summary>
    internal static bool Forced { get; set; }

    /// <summary>Input pixels per plane from which strided layers read directly on AVX-512: 56x56 ran 1.13x, 28x28 0.84x.</summary>
    internal const int MinPlaneStrided = 48 * 48;

    /// <summary>
    /// The same on AVX2, where the phase split's deinterleave is dearer and the blocks run down the interior rows in one
    /// call (<c>depthwise-direct</c>, batch 16, interleaved): 3x3 at stride 2 ran 1.71x on 112x112, 1.73x on 56x56 and
    /// 1.62x on 28x28.
    /// </summary>
    internal const int MinPlaneStridedAvx2 = 28 * 28;

    /// <summary>
    /// Input pixels per plane, from and up to, for which 3x3 stride-1 layers read directly on AVX2, where the blocks mask
    /// only the vectors at a row's ends: 56x56 ran 1.15x-1.16x; 28x28 0.90x-0.98x and 112x112 0.83x-1.04x stay on the
    /// phase split, whose single long run per tap pays there.
    /// </summary>
    internal const int MinPlaneStrideOneAvx2 = 48 * 48, MaxPlaneStrideOneAvx2 = 64 * 64;

    /// <summary>
    /// Whether the depthwise forward pass takes this kernel for <paramref name="g"/>: stride 2 with at most nine taps on
    /// planes of at least <see cref="MinPlaneStrided"/> pixels. There the layer streams an input four times its output
    /// from memory, and skipping the phase split's write and second read of it paid 1.13x (56x56) to 2.07x (112x112) at
    /// batch 16. Elsewhere the phase split and the flat plane stay faster: their 64-output blocks run across row ends, where
    /// here a 56-wide row is a block of three and a half vectors, masked at both ends (stride 1 on 56x56 0.77x, 5x5 stride 2
    /// on 56x56 0.66x, planes of 28x28 and less 0.17x-0.84x). On AVX2 the same holds from 28x28 up
    /// (<see cref="MinPlaneStridedAvx2"/>), and 3x3 stride 1 on 56x56 planes (<see cref="MinPlaneStrideOneAvx2"/>); 5x5
    /// ran 0.76x-1.08x there.
    /// </summary>
    public static bool Prefers(in Conv2dGeometry g) =>
        Handles(g) && (Forced || (g.StrideHeight == 2 && g.KernelHeight * g.KernelWidth <= 9
            && g.InHeight * g.InWidth >= (Wide ? MinPlaneStrided : MinPlaneStridedAvx2))
            || (!Wide && g.StrideHeight == 1 && g.KernelHeight == 3 && g.KernelWidth == 3
                && g.InHeight * g.InWidth >= MinPlaneStrideOneAvx2 && g.InHeight * g.InWidth <= MaxPlaneStrideOneAvx2));

    /// <summary>
    /// output = activation(depthwise conv(input, weight) + bias + residual); see <see cref="Conv2dKernel.ForwardFused"/>.
    /// Needs <see cref="Handles"/>.
    /// </summary>
    public static void Forward(in Conv2dGeometry g, float* input, float* weight, float* bias, float* output,
        ActivationKind activation, float* residual)
    {
        switch (activation)
        {
            case ActivationKind.Identity: Forward(default(IdentityOperator), g, input, weight, bias, output, residual); break;
            case ActivationKind.ReLU: Forward(default(ReluOperator), g, input, weight, bias, output, residual); break;
            case ActivationKind.ReLU6: Forward(default(Relu6Operator), g, input, weight, bias, output, residual); break;
            case ActivationKind.SiLU: Forward(default(SiluOperator), g, input, weight, bias, output, residual); break;
            case ActivationKind.Sigmoid: Forward(default(SigmoidOperator), g, input, weight, bias, output, residual); break;
            case ActivationKind.Hardswish: Forward(default(HardswishOperator), g, input, weight, bias, output, residual); break;
            case ActivationKind.Tanh: Forward(default(TanhOperator), g, input, weight, bias, output, residual); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    private static void Forward<TOp>(TOp op, Conv2dGeometry g, float* input, float* weight, float* bias, float* output, float* residual)
        where TOp : struct, IUnaryOperator
    {
        // AVX2's sixteen registers hold the eight chains, a tap and a mask: an exp-based activation applied before the
        // store would spill its constants on every block, so the sums are stored and the activation runs over each plane
        // after it, while the plane is in cache (as DepthwiseTaps does).
        if (!Wide && !FusedEpilogue.FitsBesideAccumulators<TOp>()) Forward(default(IdentityOperator), op, g, input, weight, bias, output, residual);
        else Forward(op, default(IdentityOperator), g, input, weight, bias, output, residual);
    }

    /// <summary>The planes, <paramref name="op"/> applied in the blocks and <paramref name="after"/> over each plane after them.</summary>
    private static void Forward<TOp, TAfter>(TOp op, TAfter after, Conv2dGeometry g, float* input, float* weight, float* bias, float* output,
        float* residual) where TOp : struct, IUnaryOperator where TAfter : struct, IUnaryOperator
    {
        var plan = new DirectPlan(g, Wide ? 16 : 8);
        int items = g.Batch * g.InChannels, cin = g.InChannels, planeIn = g.InHeight * g.InWidth, planeOut = g.OutHeight * g.OutWidth;
        int workers = DepthwiseConv2d.Workers(items, planeOut * plan.Taps);
        Parallelism.ForChunks(0, items, workers, (start, end) =>
        {
            bool guards = start == 0 || end == items;
            using var zeroRow = new ScratchBuffer(Margin + plan.RowReach);
            using var guarded = new ScratchBuffer(guards ? Margin + (g.InHeight - 1) * g.InWidth + plan.RowReach : 0);
            new Span<float>(zeroRow.Pointer, Margin + plan.RowReach).Clear();
            if (guards) new Span<float>(guarded.Pointer, Margin + (g.InHeight - 1) * g.InWidth + plan.RowReach).Clear();
            nint* taps = stackalloc nint[plan.Taps];
            fixed (float* keep = plan.Keep)
            {
                for (int item = start; item < end; item++)
                {
                    float* plane = input + (long)item * planeIn;
                    if (item == 0 || item == items - 1)
                    {
                        // Only these two planes' reads past their rows could leave the tensor.
                        new ReadOnlySpan<float>(plane, planeIn).CopyTo(new Span<float>(guarded.Pointer + Margin, planeIn));
                        plane = guarded.Pointer + Margin;
                    }
                    int c = item % cin;
                    long offset = (long)item * planeOut;
                    ForwardPlane(op, plan, plane, zeroRow.Pointer + Margin, taps, keep, weight + (long)c * plan.Taps,
                        bias == null ? 0f : bias[c], output + offset, residual == null ? null : residual + offset);
                    if (typeof(TAfter) != typeof(IdentityOperator)) FusedEpilogue.ActivateInPlace(after, output + offset, planeOut);
                }
            }
        });
    }

    /// <summary>One plane: for each output row, the taps' row pointers, then its blocks.</summary>
    private static void ForwardPlane<TOp>(TOp op, DirectPlan p, float* plane, float* zeroRow, nint* taps, float* keep,
        float* weights, float bias, float* y, float* residual) where TOp : struct, IUnaryOperator
    {
        // On AVX2 the rows whose taps all fall inside the plane go through each block in one call, the taps stepping
        // down a row each time: one call per row cost as much as a 56-wide row's products.
        var (interiorLo, interiorHi) = p.Lanes == 8 ? p.InteriorRows : (0, 0);
        for (int oy = 0; oy < p.OutHeight; oy++)
        {
            bool interior = oy == interiorLo && interiorHi > interiorLo;
            RowTaps(p, plane, zeroRow, oy, taps);
            int rows = interior ? interiorHi - interiorLo : 1;
            BlockRows(op, p, taps, keep, weights, bias, y + (long)oy * p.OutWidth, residual == null ? null : residual + (long)oy * p.OutWidth, rows);
            if (interior) oy = interiorHi - 1;
        }
    }

    /// <summary>Points <paramref name="taps"/> at output row <paramref name="oy"/>'s input, rows outside the plane at the zero row.</summary>
    private static void RowTaps(DirectPlan p, float* plane, float* zeroRow, int oy, nint* taps)
    {
        int top = oy * p.Stride - p.PadHeight;
        for (int ky = 0; ky < p.KernelHeight; ky++)
        {
            int iy = top + ky;
            float* row = iy >= 0 && iy < p.Height ? plane + (long)iy * p.Width : zeroRow;
            for (int kx = 0; kx < p.KernelWidth; kx++) taps[ky * p.KernelWidth + kx] = (nint)(row + kx - p.PadWidth);
        }
    }

    /// <summary>Every block of <paramref name="rows"/> consecutive output rows (one on AVX-512) from the taps of the first.</summary>
    private static void BlockRows<TOp>(TOp op, DirectPlan p, nint* taps, float* keep, float* weights, float bias, float* yRow, float* rRow, int rows)
        where TOp : struct, IUnaryOperator
    {
        int blockOutputs = BlockVectors * p.Lanes;
        for (int block = 0; block < p.Blocks; block++)
        {
            int x0 = block * blockOutputs;
            var masks = p.MaskedVectors[block] != 0 ? keep + (long)block * p.KernelWidth * blockOutputs : null;
            var a = new BlockArguments(taps, p.Taps, p.KernelWidth, weights, bias, x0, masks, yRow, rRow, Math.Min(blockOutputs, p.OutWidth - x0),
                rows, p.Stride * p.Width, p.OutWidth, p.MaskedVectors[block]);
            if (p.Lanes == 16) RunBlock(op, p.Stride, a);
            else RunBlockAvx2(op, p.Stride, a);
        }
    }

    /// <summary>What a block reads and writes; see <c>Block</c> (AVX-512) and <c>BlockAvx2</c>.</summary>
    private readonly struct BlockArguments(nint* taps, int tapCount, int kernelWidth, float* weights, float bias, int x0,
        float* masks, float* output, float* residual, int outputs, int rows, int inputRowStep, int outputRowStep, int maskedVectors)
    {
        /// <summary>[TapCount] per tap, where its input row's column 0 of output 0 lies.</summary>
        public readonly nint* Taps = taps;
        public readonly int TapCount = tapCount;
        public readonly int KernelWidth = kernelWidth;
        public readonly float* Weights = weights;
        public readonly float Bias = bias;

        /// <summary>The block's first output column.</summary>
        public readonly int X0 = x0;

        /// <summary>The block's [KernelWidth, 4 * lanes] lane masks (all-ones or zero bits), or null where it needs none.</summary>
        public readonly float* Masks = masks;

        /// <summary>The output row.</summary>
        public readonly float* Output = output;

        /// <summary>The residual row, or null.</summary>
        public readonly float* Residual = residual;

        /// <summary>Outputs of the block, 1 to four vectors' worth.</summary>
        public readonly int Outputs = outputs;

        /// <summary>Output rows the block runs down (the AVX-512 blocks take one).</summary>
        public readonly int Rows = rows;

        /// <summary>Floats from one output row's input rows to the next one's.</summary>
        public readonly int InputRowStep = inputRowStep;

        /// <summary>Floats from one output (and residual) row to the next.</summary>
        public readonly int OutputRowStep = outputRowStep;

        /// <summary>Bit j set where vector j of the block reads outside its row for some kernel column.</summary>
        public readonly int MaskedVectors = maskedVectors;
    }

    /// <summary>A constant of an instantiation, folded by the JIT.</summary>
    private interface IBlockConstant
    {
        static abstract int Value { get; }
    }

    private struct One : IBlockConstant
    {
        public static int Value => 1;
    }

    private struct Two : IBlockConstant
    {
        public static int Value => 2;
    }

    private struct Three : IBlockConstant
    {
        public static int Value => 3;
    }

    private struct Four : IBlockConstant
    {
        public static int Value => 4;
    }

    private struct StrideOne : IBlockConstant
    {
        public static int Value => 1;
    }

    private struct StrideTwo : IBlockConstant
    {
        public static int Value => 2;
    }

    private struct Masked : IBlockConstant
    {
        public static int Value => 1;
    }

    private struct Unmasked : IBlockConstant
    {
        public static int Value => 0;
    }

    /// <summary>Only the block's first vector reads outside its row (a row's left end).</summary>
    private struct FirstMasked : IBlockConstant
    {
        public static int Value => 2;
    }

    /// <summary>Only the block's last vector reads outside its row (a row's right end).</summary>
    private struct LastMasked : IBlockConstant
    {
        public static int Value => 3;
    }

    /// <summary>Only the block's first and last vectors read outside its row (a row of one block).</summary>
    private struct EdgesMasked : IBlockConstant
    {
        public static int Value => 4;
    }

    /// <summary>The geometry as the blocks see it, and the column masks of the blocks at a row's ends.</summary>
    private sealed class DirectPlan
    {
        public DirectPlan(in Conv2dGeometry g, int lanes)
        {
            Lanes = lanes;
            Height = g.InHeight;
            Width = g.InWidth;
            OutHeight = g.OutHeight;
            OutWidth = g.OutWidth;
            KernelHeight = g.KernelHeight;
            KernelWidth = g.KernelWidth;
            PadHeight = g.PadHeight;
            PadWidth = g.PadWidth;
            Stride = g.StrideWidth;
            Taps = KernelHeight * KernelWidth;
            int blockOutputs = BlockVectors * lanes;
            Blocks = (OutWidth + blockOutputs - 1) / blockOutputs;
            int vectors = (OutWidth + lanes - 1) / lanes;
            // Reads of a row lie in [row - PadWidth, row + RowReach): the last vector's window, at stride 2 its two vectors.
            RowReach = Stride * vectors * lanes + KernelWidth;
            Keep = new float[Blocks * KernelWidth * blockOutputs];
            MaskedVectors = new int[Blocks];
            float all = BitConverter.Int32BitsToSingle(-1);
            for (int block = 0; block < Blocks; block++)
            for (int kx = 0; kx < KernelWidth; kx++)
            for (int l = 0; l < blockOutputs; l++)
            {
                int x = block * blockOutputs + l, column = Stride * x + kx - PadWidth;
                bool inside = column >= 0 && column < Width;
                // Lanes past the row's last output are never stored; only the ones that are must read zeros outside.
                if (!inside && x < OutWidth) MaskedVectors[block] |= 1 << (l / lanes);
                Keep[(block * KernelWidth + kx) * blockOutputs + l] = inside ? all : 0f;
            }
        }

        /// <summary>Floats per vector: 16 on AVX-512, 8 on AVX2.</summary>
        public int Lanes { get; }
        public int Height { get; }
        public int Width { get; }
        public int OutHeight { get; }
        public int OutWidth { get; }
        public int KernelHeight { get; }
        public int KernelWidth { get; }
        public int PadHeight { get; }
        public int PadWidth { get; }
        public int Stride { get; }
        public int Taps { get; }

        /// <summary>Blocks of up to four vectors of outputs per row.</summary>
        public int Blocks { get; }

        /// <summary>Floats past a row's start that its reads reach.</summary>
        public int RowReach { get; }

        /// <summary>Output rows [Lo, Hi) whose taps all read rows inside the plane (Hi &lt;= Lo when none do).</summary>
        public (int Lo, int Hi) InteriorRows
        {
            get
            {
                int lo = (PadHeight + Stride - 1) / Stride;
                int last = Height - KernelHeight + PadHeight;
                int hi = last < 0 ? 0 : Math.Min(OutHeight, last / Stride + 1);
                return (lo, hi);
            }
        }

        /// <summary>
        /// [Blocks, KernelWidth, 4 * Lanes] lane masks: all ones where output lane l of the block reads inside the row at
        /// kernel column kx.
        /// </summary>
        public float[] Keep { get; }

        /// <summary>
        /// Per block, bit j set where its vector j has a stored output that reads outside its row; a block with none
        /// needs no masks.
        /// </summary>
        public int[] MaskedVectors { get; }
    }
}

using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// The depthwise forward layout for small planes with "same" padding (2 * pad = dilation * (kernel - 1) on both axes),
/// where <see cref="DepthwisePlan"/>'s per-row phase split costs more than the taps: a 7x7 plane was split row by row into
/// a 9x9 phase, its 61-long tap runs ended in scalar tails, and its output was copied back row by row, so MobileNetV2's
/// 960-channel 7x7 layer ran at 14 GFLOP/s. Here the plane stays flat with row stride W, and output i = oh * W + ow
/// reads input i + (kh * dH - pH) * W + (kw * dW - pW) for tap (kh, kw): a shift, the same for every pixel. Rows above and
/// below read the zero margins of a copy; a read that would wrap around a row end reads a column that the copy for that
/// kernel column has zeroed (each kernel column gets its own copy, made with one contiguous copy and a few zeros per
/// row). At stride S the stride-1 plane is computed whole and every S-th pixel of every S-th row is kept: on planes this
/// small the taps are cheaper than a phase split.
/// </summary>
internal sealed unsafe class DepthwiseFlatPlan
{
    /// <summary>
    /// Input pixels per plane up to which stride-1 layers take this layout: 28x28 (1.3x against the phase split at batch
    /// 16); 56x56 ran as fast either way.
    /// </summary>
    internal const int MaxPlaneStride1 = 28 * 28;

    /// <summary>
    /// Input pixels per plane up to which strided layers take it: 14x14 (1.4x-1.75x). They compute S * S times the outputs
    /// they keep, and from 28x28 on that costs more than the split saves (5x5 stride 2 on 28x28 0.89x).
    /// </summary>
    internal const int MaxPlaneStrided = 14 * 14;

    /// <summary>Whether depthwise layers on small planes take this layout; benchmarks and tests switch it off to compare.</summary>
    internal static bool Enabled { get; set; } = true;

    public DepthwiseFlatPlan(in Conv2dGeometry g)
    {
        Width = g.InWidth;
        Stride = g.StrideHeight;
        OutHeight = g.OutHeight;
        OutWidth = g.OutWidth;
        Multiplier = g.OutChannels / g.InChannels;
        Taps = g.KernelHeight * g.KernelWidth;
        KernelWidth = g.KernelWidth;
        Plane = g.InHeight * Width;
        // Per kernel column, the column offset its taps read at.
        var columnShift = new int[g.KernelWidth];
        for (int kw = 0; kw < g.KernelWidth; kw++) columnShift[kw] = kw * g.DilationWidth - g.PadWidth;
        // The plane starts on a 64-byte boundary of its copy, and the whole 64-output blocks of the taps
        // (DepthwiseTaps.RunBlocks) read up to a block past the plane's end.
        Margin = (g.PadHeight * Width + g.PadWidth + 15) / 16 * 16;
        CopyLength = Margin + (Plane + 63) / 64 * 64 + Margin;
        Vectors = (Plane + 15) / 16;
        KeptColumns = new Vector512<float>[g.KernelWidth * Vectors];
        Span<float> lanes = stackalloc float[16];
        for (int kw = 0; kw < g.KernelWidth; kw++)
        for (int v = 0; v < Vectors; v++)
        {
            for (int j = 0; j < 16; j++)
            {
                int column = (v * 16 + j) % Width, shift = columnShift[kw];
                bool wrappedInto = shift < 0 ? column >= Width + shift : column < shift;
                lanes[j] = v * 16 + j < Plane && !wrappedInto ? BitConverter.Int32BitsToSingle(-1) : 0f;
            }
            KeptColumns[kw * Vectors + v] = Vector512.Create((ReadOnlySpan<float>)lanes);
        }
        TapOffset = new int[Taps];
        for (int kh = 0; kh < g.KernelHeight; kh++)
        for (int kw = 0; kw < g.KernelWidth; kw++)
            TapOffset[kh * g.KernelWidth + kw] = kw * CopyLength + Margin + (kh * g.DilationHeight - g.PadHeight) * Width + columnShift[kw];
    }

    public int Width { get; }
    public int Stride { get; }
    public int OutHeight { get; }
    public int OutWidth { get; }

    /// <summary>Output channels per input channel.</summary>
    public int Multiplier { get; }

    /// <summary>KernelHeight * KernelWidth.</summary>
    public int Taps { get; }

    public int KernelWidth { get; }

    /// <summary>InHeight * InWidth: the stride-1 outputs computed per channel.</summary>
    public int Plane { get; }

    /// <summary>Zero floats before and after the plane in each copy: at least the reach of the top and bottom taps.</summary>
    public int Margin { get; }

    /// <summary>Floats of one kernel column's copy: margin, plane, margin.</summary>
    public int CopyLength { get; }

    /// <summary>Floats of all copies: one per kernel column.</summary>
    public int CopiesLength => KernelWidth * CopyLength;

    /// <summary>Vectors of 16 that cover the plane.</summary>
    public int Vectors { get; }

    /// <summary>
    /// [KernelWidth * Vectors] bit masks: all ones on the lanes of plane vector v that kernel column kw's copy keeps,
    /// zero on the columns only wrapped reads reach and past the plane's end.
    /// </summary>
    public Vector512<float>[] KeptColumns { get; }

    /// <summary>Per tap, where its shifted plane starts among the copies.</summary>
    public int[] TapOffset { get; }

    /// <summary>Whether the layout computes this depthwise forward pass and is expected to be faster than the phase split.</summary>
    public static bool Handles(in Conv2dGeometry g)
    {
        if (!Enabled || !Vector512.IsHardwareAccelerated || !Avx512F.IsSupported) return false;
        bool same = 2 * g.PadHeight == g.DilationHeight * (g.KernelHeight - 1) && 2 * g.PadWidth == g.DilationWidth * (g.KernelWidth - 1);
        // A column shift of a whole row or more would wrap onto a row that the zeroed columns do not cover.
        if (!same || g.PadWidth >= g.InWidth || g.StrideHeight != g.StrideWidth) return false;
        int plane = g.InHeight * g.InWidth;
        return g.StrideHeight == 1 ? plane <= MaxPlaneStride1 : plane <= MaxPlaneStrided;
    }

    /// <summary>Zeroes every copy, margins included; the planes are overwritten per channel and the margins never are.</summary>
    public void ClearCopies(float* copies) => new Span<float>(copies, CopiesLength).Clear();

    /// <summary>
    /// Fills each kernel column's copy from one input plane [H, W]: the plane, with the columns zeroed that only reads
    /// wrapping around a row end reach (the last -shift columns for a negative shift, the first shift columns for a positive one).
    /// Where <paramref name="followed"/> (more input lies after the plane, as every plane but a tensor's last has), the
    /// plane's last vector is a whole load, its lanes past the plane zeroed by the kept-column masks; otherwise a masked
    /// load, which on Zen 5 costs several times as much.
    /// </summary>
    public void Fill(float* plane, float* copies, bool followed)
    {
        int whole = followed ? Vectors : Plane / 16;
        fixed (Vector512<float>* kept = KeptColumns)
        {
            for (int v = 0; v < Vectors; v++)
            {
                var x = v < whole ? Vector512.Load(plane + v * 16) : Avx512F.MaskLoad(plane + v * 16, LaneMasks.FirstLanes(Plane - v * 16), Vector512<float>.Zero);
                for (int kw = 0; kw < KernelWidth; kw++)
                {
                    float* copy = copies + kw * CopyLength + Margin + v * 16;
                    // Past the plane's end the mask is zero, so the last vector writes the zeros that the bottom taps'
                    // margin holds anyway.
                    Vector512.BitwiseAnd(x, kept[kw * Vectors + v]).Store(copy);
                }
            }
        }
    }

    /// <summary>Keeps every Stride-th pixel of every Stride-th row of a stride-1 plane [H, W] in the output plane [OH, OW].</summary>
    public void Subsample(float* full, float* output)
    {
        for (int oh = 0; oh < OutHeight; oh++)
            StridedGather.Copy(full + oh * Stride * Width, Stride, output + oh * OutWidth, OutWidth);
    }
}

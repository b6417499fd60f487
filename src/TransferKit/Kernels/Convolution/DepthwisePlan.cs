namespace TransferKit.Kernels.Convolution;

/// <summary>
/// The layout that turns every depthwise kernel tap into one contiguous multiply-add over a whole plane.
/// The zero-padded input plane is split into stride phases: phase (pr, pc) is the [Hq, Wq] grid of padded pixels
/// (i * StrideHeight + pr, j * StrideWidth + pc). Tap (kh, kw) with kh * DilationHeight = qh * StrideHeight + pr and
/// kw * DilationWidth = qw * StrideWidth + pc reads, for output pixel (oh, ow), phase (pr, pc) at (oh + qh, ow + qw).
/// With output rows stored Wq apart (Wq - OutWidth junk columns per row), output index i = oh * Wq + ow reads phase
/// index i + qh * Wq + qw: a shift, the same for every pixel. So each tap is one vector multiply-add (or dot) of length
/// <see cref="TapLength"/> for any stride, dilation or padding, and small planes (7x7) are not cut into short rows.
/// </summary>
internal sealed unsafe class DepthwisePlan
{
    public DepthwisePlan(in Conv2dGeometry g)
    {
        InHeight = g.InHeight;
        InWidth = g.InWidth;
        OutHeight = g.OutHeight;
        OutWidth = g.OutWidth;
        StrideHeight = g.StrideHeight;
        StrideWidth = g.StrideWidth;
        PadHeight = g.PadHeight;
        PadWidth = g.PadWidth;
        Multiplier = g.OutChannels / g.InChannels;
        Taps = g.KernelHeight * g.KernelWidth;
        PhaseHeight = OutHeight + g.DilationHeight * (g.KernelHeight - 1) / StrideHeight;
        PhaseWidth = OutWidth + g.DilationWidth * (g.KernelWidth - 1) / StrideWidth;
        PhaseLength = PhaseHeight * PhaseWidth;
        TapLength = (OutHeight - 1) * PhaseWidth + OutWidth;
        PhaseUsed = new bool[StrideHeight * StrideWidth];
        _rowCopy = StrideWidth == 2 && PairsMostlyScalar() ? new PaddedRowCopy(PadWidth, InWidth) : null;
        TapPhaseOffset = new int[Taps];
        for (int kh = 0; kh < g.KernelHeight; kh++)
        for (int kw = 0; kw < g.KernelWidth; kw++)
        {
            int rh = kh * g.DilationHeight, rw = kw * g.DilationWidth;
            int phase = rh % StrideHeight * StrideWidth + rw % StrideWidth;
            PhaseUsed[phase] = true;
            TapPhaseOffset[kh * g.KernelWidth + kw] = phase * PhaseLength + rh / StrideHeight * PhaseWidth + rw / StrideWidth;
        }
    }

    /// <summary>The row copy of <see cref="SplitColumnPairsThroughRowBuffer"/>, where stride-2 rows take it.</summary>
    private readonly PaddedRowCopy? _rowCopy;

    /// <summary>
    /// Whether <see cref="SplitColumnPairs"/> would leave more than a quarter of a row's pairs to its scalar loop. Measured
    /// (<c>depthwise-split buffer</c>, interleaved, batch 16): the row buffer ran 3x3 stride 2 on 28x28 1.37x-1.43x and
    /// on 56x56 1.26x-1.38x (11 of 27 pairs scalar), 5x5 on 56x56 1.28x-1.36x, but 112x112 (7 of 55) 0.85x-0.87x, where
    /// the extra pass through the buffer costs more than the scalar pairs.
    /// </summary>
    private bool PairsMostlyScalar()
    {
        var (evenLo, evenHi) = Im2Col.ValidRange(-PadWidth, 2, InWidth, PhaseWidth);
        var (oddLo, oddHi) = Im2Col.ValidRange(1 - PadWidth, 2, InWidth, PhaseWidth);
        int both = Math.Max(evenLo, oddLo), pairs = Math.Max(both, Math.Min(evenHi, oddHi)) - both;
        return pairs % 16 * 4 > pairs;
    }

    public int InHeight { get; }
    public int InWidth { get; }
    public int OutHeight { get; }
    public int OutWidth { get; }
    public int StrideHeight { get; }
    public int StrideWidth { get; }
    public int PadHeight { get; }
    public int PadWidth { get; }

    /// <summary>Output channels per input channel.</summary>
    public int Multiplier { get; }

    /// <summary>KernelHeight * KernelWidth.</summary>
    public int Taps { get; }

    /// <summary>Rows (Hq) and columns (Wq) of one phase; Wq is also the row stride of the wide output layout.</summary>
    public int PhaseHeight { get; }

    /// <inheritdoc cref="PhaseHeight"/>
    public int PhaseWidth { get; }

    /// <summary>Hq * Wq.</summary>
    public int PhaseLength { get; }

    /// <summary>Elements touched per tap in the wide output layout: up to the last valid pixel, (OH - 1) * Wq + OW.</summary>
    public int TapLength { get; }

    /// <summary>Phases, index pr * StrideWidth + pc, that some tap reads; the others are never built.</summary>
    public bool[] PhaseUsed { get; }

    /// <summary>Per tap, where its shifted window starts in the phase buffer.</summary>
    public int[] TapPhaseOffset { get; }

    /// <summary>Floats of the phase buffer: all StrideHeight * StrideWidth phases.</summary>
    public int PhaseBufferLength => PhaseUsed.Length * PhaseLength;

    /// <summary>Floats of an output plane in the wide layout.</summary>
    public int WideLength => OutHeight * PhaseWidth;

    /// <summary>Whether the wide layout is the plain layout (no junk columns), so planes can be used in place.</summary>
    public bool WideIsPlain => PhaseWidth == OutWidth;

    /// <summary>Whether stride-2 planes fill both column phases in one pass (<see cref="SplitColumnPairs"/>); benchmarks switch it off to compare.</summary>
    internal static bool DeinterleaveColumnPairs { get; set; } = true;

    /// <summary>Fills the used phases from one input plane [H, W], with zeros where they fall in the padding.</summary>
    public void Split(float* plane, float* phases)
    {
        for (int pr = 0; pr < StrideHeight; pr++)
        {
            if (StrideWidth == 2 && DeinterleaveColumnPairs && PhaseUsed[pr * 2] && PhaseUsed[pr * 2 + 1])
            {
                if (_rowCopy is not null && SplitsThroughRowBuffer) SplitColumnPairsThroughRowBuffer(plane, phases, pr);
                else SplitColumnPairs(plane, phases, pr);
                continue;
            }
            for (int pc = 0; pc < StrideWidth; pc++) SplitPhase(plane, phases, pr, pc);
        }
    }

    /// <summary>Fills phase (pr, pc) from one input plane, when used.</summary>
    private void SplitPhase(float* plane, float* phases, int pr, int pc)
    {
        if (!PhaseUsed[pr * StrideWidth + pc]) return;
        float* dst = phases + (pr * StrideWidth + pc) * PhaseLength;
        var (hLo, hHi) = Im2Col.ValidRange(pr - PadHeight, StrideHeight, InHeight, PhaseHeight);
        var (wLo, wHi) = Im2Col.ValidRange(pc - PadWidth, StrideWidth, InWidth, PhaseWidth);
        new Span<float>(dst, hLo * PhaseWidth).Clear();
        for (int i = hLo; i < hHi; i++)
        {
            float* d = dst + i * PhaseWidth;
            float* s = plane + (long)(i * StrideHeight + pr - PadHeight) * InWidth + pc - PadWidth;
            for (int j = 0; j < wLo; j++) d[j] = 0f;
            if (StrideWidth == 1) StridedGather.CopyRow(s + wLo, d + wLo, wHi - wLo);
            else StridedGather.Copy(s + (long)wLo * StrideWidth, StrideWidth, d + wLo, wHi - wLo);
            for (int j = wHi; j < PhaseWidth; j++) d[j] = 0f;
        }
        new Span<float>(dst + hHi * PhaseWidth, (PhaseHeight - hHi) * PhaseWidth).Clear();
    }

    /// <summary>
    /// Fills phases (pr, 0) and (pr, 1) of a stride-2 plane as <see cref="SplitColumnPairs"/> does, for rows that
    /// would leave it many pairs one by one: each input row is copied once into a zero-padded row buffer
    /// (<see cref="PaddedRowCopy"/>), whose even and odd floats are then the two phase rows
    /// (<see cref="StridedGather.DeinterleaveRow"/>), padding included, in whole vectors.
    /// </summary>
    private void SplitColumnPairsThroughRowBuffer(float* plane, float* phases, int pr)
    {
        float* even = phases + pr * 2 * PhaseLength, odd = even + PhaseLength;
        var (hLo, hHi) = Im2Col.ValidRange(pr - PadHeight, StrideHeight, InHeight, PhaseHeight);
        // padded[t] is input column t - PadWidth (zero outside the row); phase column j of (pr, pc) is padded[2j + pc].
        int paddedLength = Math.Max(StridedGather.DeinterleaveRowSourceLength(PhaseWidth), _rowCopy!.WrittenLength);
        float* padded = stackalloc float[paddedLength];
        new Span<float>(padded, paddedLength).Clear();
        new Span<float>(even, hLo * PhaseWidth).Clear();
        new Span<float>(odd, hLo * PhaseWidth).Clear();
        for (int i = hLo; i < hHi; i++)
        {
            float* row = plane + (long)(i * StrideHeight + pr - PadHeight) * InWidth;
            _rowCopy.Copy(row, padded);
            StridedGather.DeinterleaveRow(padded, even + i * PhaseWidth, odd + i * PhaseWidth, PhaseWidth);
        }
        new Span<float>(even + hHi * PhaseWidth, (PhaseHeight - hHi) * PhaseWidth).Clear();
        new Span<float>(odd + hHi * PhaseWidth, (PhaseHeight - hHi) * PhaseWidth).Clear();
    }

    /// <summary>
    /// Whether rows that <see cref="SplitColumnPairs"/> would leave mostly to its scalar loop go through the row buffer
    /// (<see cref="SplitColumnPairsThroughRowBuffer"/>); benchmarks switch it off to compare.
    /// </summary>
    internal static bool SplitsThroughRowBuffer { get; set; } = true;

    /// <summary>
    /// Fills phases (pr, 0) and (pr, 1) of a stride-2 plane together: each input row is read once and deinterleaved
    /// into both, in whole vectors up to the last 16 pairs between the padded edges, the rest one by one.
    /// </summary>
    private void SplitColumnPairs(float* plane, float* phases, int pr)
    {
        float* even = phases + pr * 2 * PhaseLength, odd = even + PhaseLength;
        var (hLo, hHi) = Im2Col.ValidRange(pr - PadHeight, StrideHeight, InHeight, PhaseHeight);
        var (evenLo, evenHi) = Im2Col.ValidRange(-PadWidth, 2, InWidth, PhaseWidth);
        var (oddLo, oddHi) = Im2Col.ValidRange(1 - PadWidth, 2, InWidth, PhaseWidth);
        int both = Math.Max(evenLo, oddLo), bothEnd = Math.Max(both, Math.Min(evenHi, oddHi));
        new Span<float>(even, hLo * PhaseWidth).Clear();
        new Span<float>(odd, hLo * PhaseWidth).Clear();
        for (int i = hLo; i < hHi; i++)
        {
            float* row = plane + (long)(i * StrideHeight + pr - PadHeight) * InWidth - PadWidth;
            float* e = even + i * PhaseWidth, o = odd + i * PhaseWidth;
            StridedGather.Deinterleave(row + 2 * both, e + both, o + both, bothEnd - both);
            FillEdges(e, row, evenLo, evenHi, both, bothEnd);
            FillEdges(o, row + 1, oddLo, oddHi, both, bothEnd);
        }
        new Span<float>(even + hHi * PhaseWidth, (PhaseHeight - hHi) * PhaseWidth).Clear();
        new Span<float>(odd + hHi * PhaseWidth, (PhaseHeight - hHi) * PhaseWidth).Clear();
    }

    /// <summary>One phase row outside [done, doneEnd): zeros outside its valid [lo, hi), the input's even-offset pixels inside.</summary>
    private void FillEdges(float* phaseRow, float* source, int lo, int hi, int done, int doneEnd)
    {
        for (int j = 0; j < done; j++) phaseRow[j] = j >= lo && j < hi ? source[2 * j] : 0f;
        for (int j = doneEnd; j < PhaseWidth; j++) phaseRow[j] = j >= lo && j < hi ? source[2 * j] : 0f;
    }

    /// <summary>Zeroes the used phases, before gradients are accumulated into them.</summary>
    public void ClearUsed(float* phases)
    {
        for (int p = 0; p < PhaseUsed.Length; p++)
            if (PhaseUsed[p]) new Span<float>(phases + p * PhaseLength, PhaseLength).Clear();
    }

    /// <summary>Adds the used phases back onto the input pixels they came from (padding positions are dropped).</summary>
    public void MergeAdd(float* phases, float* plane)
    {
        for (int pr = 0; pr < StrideHeight; pr++)
        for (int pc = 0; pc < StrideWidth; pc++)
        {
            if (!PhaseUsed[pr * StrideWidth + pc]) continue;
            float* src = phases + (pr * StrideWidth + pc) * PhaseLength;
            var (hLo, hHi) = Im2Col.ValidRange(pr - PadHeight, StrideHeight, InHeight, PhaseHeight);
            var (wLo, wHi) = Im2Col.ValidRange(pc - PadWidth, StrideWidth, InWidth, PhaseWidth);
            for (int i = hLo; i < hHi; i++)
            {
                float* s = src + i * PhaseWidth;
                float* d = plane + (long)(i * StrideHeight + pr - PadHeight) * InWidth + pc - PadWidth;
                if (StrideWidth == 1)
                {
                    var target = new Span<float>(d + wLo, wHi - wLo);
                    System.Numerics.Tensors.TensorPrimitives.Add(target, new ReadOnlySpan<float>(s + wLo, wHi - wLo), target);
                }
                else
                {
                    for (int j = wLo; j < wHi; j++) d[j * StrideWidth] += s[j];
                }
            }
        }
    }

    /// <summary>Copies a plain [OH, OW] plane into the wide layout with zero junk columns (so they add nothing).</summary>
    public void ToWide(float* plain, float* wide)
    {
        for (int oh = 0; oh < OutHeight; oh++)
        {
            new ReadOnlySpan<float>(plain + oh * OutWidth, OutWidth).CopyTo(new Span<float>(wide + oh * PhaseWidth, OutWidth));
            new Span<float>(wide + oh * PhaseWidth + OutWidth, PhaseWidth - OutWidth).Clear();
        }
    }

    /// <summary>Copies the valid columns of a wide plane into a plain [OH, OW] plane.</summary>
    public void FromWide(float* wide, float* plain)
    {
        for (int oh = 0; oh < OutHeight; oh++)
            new ReadOnlySpan<float>(wide + oh * PhaseWidth, OutWidth).CopyTo(new Span<float>(plain + oh * OutWidth, OutWidth));
    }
}

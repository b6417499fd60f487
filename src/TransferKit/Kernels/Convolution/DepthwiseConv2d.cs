using System.Numerics.Tensors;
using TransferKit.Kernels.Activations;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// Direct depthwise convolution (Groups == InChannels, OutChannels = multiplier * InChannels): output channel c reads
/// only input channel c / multiplier, so im2col would feed GEMMs only <c>multiplier</c> rows high. Instead each
/// input plane is split once into stride phases (<see cref="DepthwisePlan"/>) and every kernel tap becomes one
/// whole-plane vector multiply-add or dot product; small planes with "same" padding skip the split and stay flat
/// (<see cref="DepthwiseFlatPlan"/>) in the forward pass. Work is split by input channel (with its multiplier output
/// channels), so each parallel item owns everything it writes: output planes, input-gradient planes, or one input
/// channel's weight gradients. No races, and the phase split is shared by the multiplier outputs.
/// </summary>
internal static unsafe class DepthwiseConv2d
{
    /// <summary>Multiply-adds per thread below which splitting costs more than it saves.</summary>
    private const int MinWorkPerThread = 32768;

    /// <summary>
    /// output = activation(depthwise conv(input, weight) + bias + residual); see <see cref="Conv2dKernel.ForwardFused"/>.
    /// </summary>
    public static void Forward(in Conv2dGeometry g, float* input, float* weight, float* bias, float* output,
        ActivationKind activation, float* residual)
    {
        if (DepthwiseChannelsLastConv2d.Prefers(g)) DepthwiseChannelsLastConv2d.Forward(g, input, weight, bias, output, activation, residual);
        else if (DepthwiseFlatPlan.Handles(g)) ForwardFlat(g, input, weight, bias, output, activation, residual);
        else if (DepthwiseDirectConv2d.Prefers(g)) DepthwiseDirectConv2d.Forward(g, input, weight, bias, output, activation, residual);
        else ForwardPhases(g, input, weight, bias, output, activation, residual);
    }

    /// <summary>The forward pass on <see cref="DepthwisePlan"/>'s phase split, for any geometry.</summary>
    internal static void ForwardPhases(in Conv2dGeometry g, float* input, float* weight, float* bias, float* output,
        ActivationKind activation, float* residual)
    {
        var p = new DepthwisePlan(g);
        int cin = g.InChannels, planeIn = g.InHeight * g.InWidth, planeOut = g.OutHeight * g.OutWidth;
        // With a residual the activation must follow the add, so the taps store plain sums and one pass finishes.
        var tapActivation = residual == null ? activation : ActivationKind.Identity;
        ForEachWorker(g.Batch * cin, p.Multiplier * planeOut * p.Taps, p, (phases, wide, item) =>
        {
            int n = item / cin, ci = item % cin;
            p.Split(input + (long)item * planeIn, phases);
            fixed (int* offsets = p.TapPhaseOffset)
            {
                for (int m = 0; m < p.Multiplier; m++)
                {
                    int co = ci * p.Multiplier + m;
                    long offset = ((long)n * cin * p.Multiplier + co) * planeOut;
                    float* y = output + offset;
                    float* acc = p.WideIsPlain ? y : wide;
                    DepthwiseTaps.Run(phases, offsets, weight + (long)co * p.Taps, p.Taps, p.TapLength,
                        bias == null ? 0f : bias[co], tapActivation, acc);
                    if (!p.WideIsPlain) p.FromWide(wide, y);
                    if (residual != null) FusedEpilogue.ApplyRow(activation, y, planeOut, 0f, residual + offset);
                }
            }
        });
    }

    /// <summary>
    /// The forward pass on <see cref="DepthwiseFlatPlan"/>'s layout: per input channel, one copy of its plane per kernel
    /// column, then every tap of each of its output channels as a shifted run over the whole stride-1 plane.
    /// </summary>
    internal static void ForwardFlat(in Conv2dGeometry g, float* input, float* weight, float* bias, float* output,
        ActivationKind activation, float* residual)
    {
        var p = new DepthwiseFlatPlan(g);
        int cin = g.InChannels, planeOut = p.OutHeight * p.OutWidth, items = g.Batch * cin;
        var tapActivation = residual == null ? activation : ActivationKind.Identity;
        bool strided = p.Stride > 1;
        Parallelism.ForChunks(0, items, Workers(items, p.Multiplier * p.Plane * p.Taps), (start, end) =>
        {
            using var copies = new ScratchBuffer(p.CopiesLength);
            using var full = new ScratchBuffer(strided ? p.Plane : 0);
            p.ClearCopies(copies.Pointer);
            fixed (int* offsets = p.TapOffset)
            {
                for (int item = start; item < end; item++)
                {
                    p.Fill(input + (long)item * p.Plane, copies.Pointer, followed: item < items - 1);
                    int n = item / cin, ci = item % cin;
                    for (int m = 0; m < p.Multiplier; m++)
                    {
                        int co = ci * p.Multiplier + m;
                        long offset = ((long)n * cin * p.Multiplier + co) * planeOut;
                        float* y = output + offset;
                        DepthwiseTaps.Run(copies.Pointer, offsets, weight + (long)co * p.Taps, p.Taps, p.Plane,
                            bias == null ? 0f : bias[co], tapActivation, strided ? full.Pointer : y, wholeBlocks: true);
                        if (strided) p.Subsample(full.Pointer, y);
                        if (residual != null) FusedEpilogue.ApplyRow(activation, y, planeOut, 0f, residual + offset);
                    }
                }
            }
        });
    }

    /// <summary>gradInput += d(loss)/d(input); see <see cref="Conv2dKernel.BackwardData(in Conv2dGeometry, float*, float*, float*)"/>.</summary>
    public static void BackwardData(in Conv2dGeometry g, float* gradOutput, float* weight, float* gradInput)
    {
        var p = new DepthwisePlan(g);
        int cin = g.InChannels, planeIn = g.InHeight * g.InWidth, planeOut = g.OutHeight * g.OutWidth;
        ForEachWorker(g.Batch * cin, p.Multiplier * planeOut * p.Taps, p, (phases, wide, item) =>
        {
            int n = item / cin, ci = item % cin;
            p.ClearUsed(phases);
            for (int m = 0; m < p.Multiplier; m++)
            {
                int co = ci * p.Multiplier + m;
                float* dy = gradOutput + ((long)n * cin * p.Multiplier + co) * planeOut;
                if (!p.WideIsPlain)
                {
                    p.ToWide(dy, wide);
                    dy = wide;
                }
                var src = new ReadOnlySpan<float>(dy, p.TapLength);
                float* w = weight + (long)co * p.Taps;
                for (int t = 0; t < p.Taps; t++)
                {
                    var dst = new Span<float>(phases + p.TapPhaseOffset[t], p.TapLength);
                    TensorPrimitives.MultiplyAdd(src, w[t], dst, dst);
                }
            }
            p.MergeAdd(phases, gradInput + (long)item * planeIn);
        });
    }

    /// <summary>gradWeight += d(loss)/d(weight); see <see cref="Conv2dKernel.BackwardWeight"/>.</summary>
    public static void BackwardWeight(in Conv2dGeometry g, float* input, float* gradOutput, float* gradWeight)
    {
        var p = new DepthwisePlan(g);
        int cin = g.InChannels, batch = g.Batch, planeIn = g.InHeight * g.InWidth, planeOut = g.OutHeight * g.OutWidth;
        ForEachWorker(cin, batch * p.Multiplier * planeOut * p.Taps, p, (phases, wide, ci) =>
        {
            int count = p.Multiplier * p.Taps;
            Span<double> sums = count <= 512 ? stackalloc double[count] : new double[count];
            sums.Clear();
            for (int n = 0; n < batch; n++)
            {
                p.Split(input + ((long)n * cin + ci) * planeIn, phases);
                for (int m = 0; m < p.Multiplier; m++)
                {
                    int co = ci * p.Multiplier + m;
                    float* dy = gradOutput + ((long)n * cin * p.Multiplier + co) * planeOut;
                    if (!p.WideIsPlain)
                    {
                        p.ToWide(dy, wide);
                        dy = wide;
                    }
                    var a = new ReadOnlySpan<float>(dy, p.TapLength);
                    for (int t = 0; t < p.Taps; t++)
                        sums[m * p.Taps + t] += TensorPrimitives.Dot(a, new ReadOnlySpan<float>(phases + p.TapPhaseOffset[t], p.TapLength));
                }
            }
            // The weights of output channels [ci * multiplier, (ci + 1) * multiplier) are contiguous.
            float* dw = gradWeight + (long)ci * count;
            for (int i = 0; i < count; i++) dw[i] += (float)sums[i];
        });
    }

    private delegate void PlaneBody(float* phases, float* wide, int item);

    /// <summary>
    /// Runs <paramref name="body"/> for items [0, <paramref name="items"/>) on contiguous chunks, one per worker, each
    /// with its own phase and wide-plane buffers rented once.
    /// </summary>
    private static void ForEachWorker(int items, int workPerItem, DepthwisePlan p, PlaneBody body)
    {
        Parallelism.ForChunks(0, items, Workers(items, workPerItem), (start, end) =>
        {
            using var phases = new ScratchBuffer(p.PhaseBufferLength);
            using var wide = new ScratchBuffer(p.WideLength);
            for (int item = start; item < end; item++) body(phases.Pointer, wide.Pointer, item);
        });
    }

    /// <summary>Workers for <paramref name="items"/> items of <paramref name="workPerItem"/> multiply-adds each.</summary>
    internal static int Workers(int items, int workPerItem)
    {
        int perThread = Math.Max(1, MinWorkPerThread / Math.Max(1, workPerItem));
        return Math.Clamp(items / perThread, 1, Parallelism.ThreadsHere);
    }
}

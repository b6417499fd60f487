using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// The inner loop of the depthwise forward pass: dst[i] = activation(bias + sum over taps t of w[t] * src[offset[t] + i])
/// for i in [0, length), the even taps summed onto the bias and the odd ones apart, then added (every path in the same
/// order, so that all give the same bits), where src holds a plane split into stride phases (<see cref="DepthwisePlan"/>), so every tap is
/// a contiguous shifted run. All taps of a block of 64 outputs accumulate in registers and the block is stored once.
/// Applying the taps as whole-plane passes instead read and wrote the output once per tap (nine times for 3x3), which
/// made depthwise layers about a third of MobileNetV2's forward time.
/// </summary>
internal static unsafe class DepthwiseTaps
{
    /// <summary>Computes the block; see the type's summary.</summary>
    /// <param name="src">The phase buffer; reads src[offsets[t] .. offsets[t] + length) for each tap.</param>
    /// <param name="offsets">[taps] offsets into <paramref name="src"/>.</param>
    /// <param name="weights">[taps] kernel values of this output channel.</param>
    /// <param name="taps">Kernel taps (kernel height times width).</param>
    /// <param name="length">Outputs to compute.</param>
    /// <param name="bias">Initial value of every output.</param>
    /// <param name="activation">Applied before the store.</param>
    /// <param name="dst">[length] outputs; overwritten.</param>
    /// <param name="wholeBlocks">
    /// Compute in whole 64-output blocks (<see cref="RunBlocks{TOp}"/>, AVX-512 only): then src must hold length rounded up
    /// to 64 after every offset.
    /// </param>
    public static void Run(float* src, int* offsets, float* weights, int taps, int length, float bias, ActivationKind activation, float* dst,
        bool wholeBlocks = false)
    {
        switch (activation)
        {
            case ActivationKind.Identity: Run(default(IdentityOperator), src, offsets, weights, taps, length, bias, dst, wholeBlocks); break;
            case ActivationKind.ReLU: Run(default(ReluOperator), src, offsets, weights, taps, length, bias, dst, wholeBlocks); break;
            case ActivationKind.ReLU6: Run(default(Relu6Operator), src, offsets, weights, taps, length, bias, dst, wholeBlocks); break;
            case ActivationKind.SiLU: Run(default(SiluOperator), src, offsets, weights, taps, length, bias, dst, wholeBlocks); break;
            case ActivationKind.Sigmoid: Run(default(SigmoidOperator), src, offsets, weights, taps, length, bias, dst, wholeBlocks); break;
            case ActivationKind.Hardswish: Run(default(HardswishOperator), src, offsets, weights, taps, length, bias, dst, wholeBlocks); break;
            case ActivationKind.Tanh: Run(default(TanhOperator), src, offsets, weights, taps, length, bias, dst, wholeBlocks); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>
    /// The loop on whole 64-output blocks only, for small planes (<see cref="DepthwiseFlatPlan"/>) and the blocks of larger
    /// ones: four accumulators for the even taps and four for the odd ones hide the FMA latency of both pipes (with four
    /// chains, 3x3 on 56x56 ran 0.8x), each tap costing four loads and one broadcast; every block
    /// keeps them, the last one too, so a 49-pixel plane is one block of four independent chains instead of three
    /// single chains and a scalar tail. Reads src[offsets[t] .. offsets[t] + length rounded up to 64), which the caller's
    /// buffer must hold; stores exactly dst[0 .. length). Needs AVX-512.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunBlocks<TOp>(TOp op, float* src, int* offsets, float* weights, int taps, int length, float bias, float* dst)
        where TOp : struct, IUnaryOperator
    {
        var b = Vector512.Create(bias);
        for (int i = 0; i < length; i += 64)
        {
            // Even taps into a, odd taps into c: eight chains, so that two FMA pipes are kept busy through the four-cycle latency.
            Vector512<float> a0 = b, a1 = b, a2 = b, a3 = b;
            Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
            int t = 0;
            for (; t + 1 < taps; t += 2)
            {
                AddTap(src + offsets[t] + i, weights[t], ref a0, ref a1, ref a2, ref a3);
                AddTap(src + offsets[t + 1] + i, weights[t + 1], ref c0, ref c1, ref c2, ref c3);
            }
            if (t < taps) AddTap(src + offsets[t] + i, weights[t], ref a0, ref a1, ref a2, ref a3);
            a0 += c0;
            a1 += c1;
            a2 += c2;
            a3 += c3;
            if (i + 64 <= length)
            {
                op.Invoke(a0).Store(dst + i);
                op.Invoke(a1).Store(dst + i + 16);
                op.Invoke(a2).Store(dst + i + 32);
                op.Invoke(a3).Store(dst + i + 48);
                continue;
            }
            StoreFirst(op.Invoke(a0), dst + i, length - i);
            StoreFirst(op.Invoke(a1), dst + i + 16, length - i - 16);
            StoreFirst(op.Invoke(a2), dst + i + 32, length - i - 32);
            StoreFirst(op.Invoke(a3), dst + i + 48, length - i - 48);
        }
    }

    /// <summary>One tap on a 64-output block: four vectors of the shifted run times the tap's weight, onto four accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTap(float* s, float weight, ref Vector512<float> x0, ref Vector512<float> x1, ref Vector512<float> x2, ref Vector512<float> x3)
    {
        var w = Vector512.Create(weight);
        x0 = Vector512.FusedMultiplyAdd(Vector512.Load(s), w, x0);
        x1 = Vector512.FusedMultiplyAdd(Vector512.Load(s + 16), w, x1);
        x2 = Vector512.FusedMultiplyAdd(Vector512.Load(s + 32), w, x2);
        x3 = Vector512.FusedMultiplyAdd(Vector512.Load(s + 48), w, x3);
    }

    /// <summary>One tap on a 32-output block (AVX2): four vectors of the shifted run times the tap's weight, onto four accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTap(float* s, float weight, ref Vector256<float> x0, ref Vector256<float> x1, ref Vector256<float> x2, ref Vector256<float> x3)
    {
        var w = Vector256.Create(weight);
        x0 = Vector256.FusedMultiplyAdd(Vector256.Load(s), w, x0);
        x1 = Vector256.FusedMultiplyAdd(Vector256.Load(s + 8), w, x1);
        x2 = Vector256.FusedMultiplyAdd(Vector256.Load(s + 16), w, x2);
        x3 = Vector256.FusedMultiplyAdd(Vector256.Load(s + 24), w, x3);
    }

    /// <summary>Stores the first <paramref name="count"/> lanes of <paramref name="v"/> (none when count is not positive).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StoreFirst(Vector512<float> v, float* dst, int count)
    {
        if (count >= 16) v.Store(dst);
        else if (count > 0) Avx512F.MaskStore(dst, LaneMasks.FirstLanes(count), v);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TOp>(TOp op, float* src, int* offsets, float* weights, int taps, int length, float bias, float* dst, bool wholeBlocks)
        where TOp : struct, IUnaryOperator
    {
        if (wholeBlocks)
        {
            RunBlocks(op, src, offsets, weights, taps, length, bias, dst);
            return;
        }
        if (!Vector512.IsHardwareAccelerated && !FusedEpilogue.FitsBesideAccumulators<TOp>())
        {
            // AVX2's sixteen registers hold the eight chains, the bias and a tap: an exp-based activation applied before
            // the store spilled its constants on every block (SiLU doubled a 56x56 layer's time). Sums first, then the
            // activation over them while they are in cache, at the same widths, so the bits are the same.
            Run(default(IdentityOperator), src, offsets, weights, taps, length, bias, dst, wholeBlocks: false);
            FusedEpilogue.ActivateInPlace(op, dst, length);
            return;
        }
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // Whole blocks of 64 read nothing past the length, so they need no room after it.
            i = length / 64 * 64;
            if (i > 0) RunBlocks(op, src, offsets, weights, taps, i, bias, dst);
            var b = Vector512.Create(bias);
            for (; i <= length - 16; i += 16)
            {
                Vector512<float> a = b, c = default;
                int t = 0;
                for (; t + 1 < taps; t += 2)
                {
                    a = Vector512.FusedMultiplyAdd(Vector512.Load(src + offsets[t] + i), Vector512.Create(weights[t]), a);
                    c = Vector512.FusedMultiplyAdd(Vector512.Load(src + offsets[t + 1] + i), Vector512.Create(weights[t + 1]), c);
                }
                if (t < taps) a = Vector512.FusedMultiplyAdd(Vector512.Load(src + offsets[t] + i), Vector512.Create(weights[t]), a);
                op.Invoke(a + c).Store(dst + i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var b = Vector256.Create(bias);
            // AVX2: 32-output blocks in eight chains, as RunBlocks does with 64 (with two chains, 8 outputs at a time, the
            // FMA latency bound the loop: MobileNetV2 and EfficientNet-B0 spent 12%-22% of their time here).
            for (; i <= length - 32; i += 32)
            {
                Vector256<float> a0 = b, a1 = b, a2 = b, a3 = b;
                Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default;
                int t = 0;
                for (; t + 1 < taps; t += 2)
                {
                    AddTap(src + offsets[t] + i, weights[t], ref a0, ref a1, ref a2, ref a3);
                    AddTap(src + offsets[t + 1] + i, weights[t + 1], ref c0, ref c1, ref c2, ref c3);
                }
                if (t < taps) AddTap(src + offsets[t] + i, weights[t], ref a0, ref a1, ref a2, ref a3);
                op.Invoke(a0 + c0).Store(dst + i);
                op.Invoke(a1 + c1).Store(dst + i + 8);
                op.Invoke(a2 + c2).Store(dst + i + 16);
                op.Invoke(a3 + c3).Store(dst + i + 24);
            }
            for (; i <= length - 8; i += 8)
            {
                Vector256<float> a = b, c = default;
                int t = 0;
                for (; t + 1 < taps; t += 2)
                {
                    a = Vector256.FusedMultiplyAdd(Vector256.Load(src + offsets[t] + i), Vector256.Create(weights[t]), a);
                    c = Vector256.FusedMultiplyAdd(Vector256.Load(src + offsets[t + 1] + i), Vector256.Create(weights[t + 1]), c);
                }
                if (t < taps) a = Vector256.FusedMultiplyAdd(Vector256.Load(src + offsets[t] + i), Vector256.Create(weights[t]), a);
                op.Invoke(a + c).Store(dst + i);
            }
        }
        for (; i < length; i++)
        {
            float a = bias, c = 0f;
            int t = 0;
            for (; t + 1 < taps; t += 2)
            {
                a = MathF.FusedMultiplyAdd(src[offsets[t] + i], weights[t], a);
                c = MathF.FusedMultiplyAdd(src[offsets[t + 1] + i], weights[t + 1], c);
            }
            if (t < taps) a = MathF.FusedMultiplyAdd(src[offsets[t] + i], weights[t], a);
            dst[i] = op.Invoke(a + c);
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// The blocks on AVX2: four 8-float vectors, 32 outputs, with the same eight chains and the same order of taps as the
/// AVX-512 blocks, so that both agree with the phase split bit for bit. A 56-wide row is seven whole vectors here; at
/// stride 2 the even lanes of two loads come from one in-lane shuffle and one cross-lane permute.
/// </summary>
internal static unsafe partial class DepthwiseDirectConv2d
{
    /// <summary>Picks the block's instantiation: stride, vectors, masks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunBlockAvx2<TOp>(TOp op, int stride, in BlockArguments a) where TOp : struct, IUnaryOperator
    {
        int vectors = (a.Outputs + 7) / 8;
        if (stride == 1) DispatchMasksAvx2<TOp, StrideOne>(op, a, vectors);
        else DispatchMasksAvx2<TOp, StrideTwo>(op, a, vectors);
    }

    /// <summary>
    /// Picks the masks: none, the first or the last vector's (a row's ends), both, or every vector's. Masking only the
    /// vectors at a row's ends spares the others a load and an and per tap (a 56-wide row is a left and a right block).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DispatchMasksAvx2<TOp, TStride>(TOp op, in BlockArguments a, int vectors)
        where TOp : struct, IUnaryOperator where TStride : struct, IBlockConstant
    {
        int last = 1 << (vectors - 1), bits = a.MaskedVectors;
        if (bits == 0) DispatchAvx2<TOp, TStride, Unmasked>(op, a, vectors);
        else if (bits == 1) DispatchAvx2<TOp, TStride, FirstMasked>(op, a, vectors);
        else if (bits == last) DispatchAvx2<TOp, TStride, LastMasked>(op, a, vectors);
        else if (bits == (1 | last)) DispatchAvx2<TOp, TStride, EdgesMasked>(op, a, vectors);
        else DispatchAvx2<TOp, TStride, Masked>(op, a, vectors);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DispatchAvx2<TOp, TStride, TMasks>(TOp op, in BlockArguments a, int vectors)
        where TOp : struct, IUnaryOperator where TStride : struct, IBlockConstant where TMasks : struct, IBlockConstant
    {
        switch (vectors)
        {
            case 1: BlockAvx2<TOp, TStride, TMasks, One>(op, a); break;
            case 2: BlockAvx2<TOp, TStride, TMasks, Two>(op, a); break;
            case 3: BlockAvx2<TOp, TStride, TMasks, Three>(op, a); break;
            default: BlockAvx2<TOp, TStride, TMasks, Four>(op, a); break;
        }
    }

    /// <summary>As <see cref="Block{TOp, TStride, TMasks, TVectors}"/>, on 8-float vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BlockAvx2<TOp, TStride, TMasks, TVectors>(TOp op, in BlockArguments a)
        where TOp : struct, IUnaryOperator where TStride : struct, IBlockConstant where TMasks : struct, IBlockConstant
        where TVectors : struct, IBlockConstant
    {
        long shift = (long)TStride.Value * a.X0;
        float* y = a.Output + a.X0;
        float* r = a.Residual == null ? null : a.Residual + a.X0;
        for (int row = 0; row < a.Rows; row++)
        {
            var b = Vector256.Create(a.Bias);
            Vector256<float> a0 = b, a1 = b, a2 = b, a3 = b;
            Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default;
            int kx = 0, t = 0;
            for (; t + 1 < a.TapCount; t += 2)
            {
                AddTapAvx2<TStride, TMasks, TVectors>((float*)a.Taps[t] + shift, a.Weights[t], a.Masks + kx * 32, ref a0, ref a1, ref a2, ref a3);
                if (++kx == a.KernelWidth) kx = 0;
                AddTapAvx2<TStride, TMasks, TVectors>((float*)a.Taps[t + 1] + shift, a.Weights[t + 1], a.Masks + kx * 32, ref c0, ref c1, ref c2, ref c3);
                if (++kx == a.KernelWidth) kx = 0;
            }
            if (t < a.TapCount) AddTapAvx2<TStride, TMasks, TVectors>((float*)a.Taps[t] + shift, a.Weights[t], a.Masks + kx * 32, ref a0, ref a1, ref a2, ref a3);
            FinishAvx2(op, a0 + c0, y, r, a.Outputs);
            if (TVectors.Value > 1) FinishAvx2(op, a1 + c1, y + 8, r == null ? null : r + 8, a.Outputs - 8);
            if (TVectors.Value > 2) FinishAvx2(op, a2 + c2, y + 16, r == null ? null : r + 16, a.Outputs - 16);
            if (TVectors.Value > 3) FinishAvx2(op, a3 + c3, y + 24, r == null ? null : r + 24, a.Outputs - 24);
            shift += a.InputRowStep;
            y += a.OutputRowStep;
            if (r != null) r += a.OutputRowStep;
        }
    }

    /// <summary>Adds the residual, applies the activation and stores the first <paramref name="count"/> lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishAvx2<TOp>(TOp op, Vector256<float> sum, float* y, float* residual, int count) where TOp : struct, IUnaryOperator
    {
        if (count >= 8)
        {
            if (residual != null) sum += Vector256.Load(residual);
            op.Invoke(sum).Store(y);
            return;
        }
        var first = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();
        if (residual != null) sum += Avx.MaskLoad(residual, first);
        Avx.MaskStore(y, first, op.Invoke(sum));
    }

    /// <summary>
    /// One tap on up to four vectors: at stride 1 the 8 floats at s + 8j, at stride 2 the even lanes of the 16 at s + 16j;
    /// times the weight onto x0..x3, lanes outside the row zeroed by the masks at <paramref name="masks"/> + 8j where
    /// <typeparamref name="TMasks"/> says so.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTapAvx2<TStride, TMasks, TVectors>(float* s, float weight, float* masks,
        ref Vector256<float> x0, ref Vector256<float> x1, ref Vector256<float> x2, ref Vector256<float> x3)
        where TStride : struct, IBlockConstant where TMasks : struct, IBlockConstant where TVectors : struct, IBlockConstant
    {
        var w = Vector256.Create(weight);
        x0 = Vector256.FusedMultiplyAdd(ReadAvx2<TStride>(s, masks, MasksVector<TMasks, TVectors>(0)), w, x0);
        if (TVectors.Value > 1) x1 = Vector256.FusedMultiplyAdd(ReadAvx2<TStride>(s + 8 * TStride.Value, masks + 8, MasksVector<TMasks, TVectors>(1)), w, x1);
        if (TVectors.Value > 2) x2 = Vector256.FusedMultiplyAdd(ReadAvx2<TStride>(s + 16 * TStride.Value, masks + 16, MasksVector<TMasks, TVectors>(2)), w, x2);
        if (TVectors.Value > 3) x3 = Vector256.FusedMultiplyAdd(ReadAvx2<TStride>(s + 24 * TStride.Value, masks + 24, MasksVector<TMasks, TVectors>(3)), w, x3);
    }

    /// <summary>Whether vector <paramref name="j"/> of a block of <typeparamref name="TVectors"/> takes its mask (a JIT-time constant).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool MasksVector<TMasks, TVectors>(int j) where TMasks : struct, IBlockConstant where TVectors : struct, IBlockConstant =>
        TMasks.Value switch
        {
            1 => true,
            2 => j == 0,
            3 => j == TVectors.Value - 1,
            4 => j == 0 || j == TVectors.Value - 1,
            _ => false,
        };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ReadAvx2<TStride>(float* s, float* mask, bool masked) where TStride : struct, IBlockConstant
    {
        Vector256<float> v;
        if (TStride.Value == 1) v = Vector256.Load(s);
        else
        {
            // [s0 s2 s8 s10 | s4 s6 s12 s14], then the middle 64-bit pairs swapped: s0 s2 s4 ... s14.
            var evens = Avx.Shuffle(Vector256.Load(s), Vector256.Load(s + 8), 0b10_00_10_00);
            v = Avx2.Permute4x64(evens.AsDouble(), 0b11_01_10_00).AsSingle();
        }
        return masked ? Vector256.BitwiseAnd(v, Vector256.Load(mask)) : v;
    }
}

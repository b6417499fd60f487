using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Convolution;

/// <summary>The blocks on AVX-512: four 16-float vectors, 64 outputs, every block of a row taken one row at a time.</summary>
internal static unsafe partial class DepthwiseDirectConv2d
{
    /// <summary>Picks the block's instantiation: stride, vectors, masks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunBlock<TOp>(TOp op, int stride, in BlockArguments a) where TOp : struct, IUnaryOperator
    {
        int vectors = (a.Outputs + 15) / 16;
        if (stride == 1)
        {
            if (a.Masks == null) Dispatch<TOp, StrideOne, Unmasked>(op, a, vectors);
            else Dispatch<TOp, StrideOne, Masked>(op, a, vectors);
        }
        else
        {
            if (a.Masks == null) Dispatch<TOp, StrideTwo, Unmasked>(op, a, vectors);
            else Dispatch<TOp, StrideTwo, Masked>(op, a, vectors);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dispatch<TOp, TStride, TMasks>(TOp op, in BlockArguments a, int vectors)
        where TOp : struct, IUnaryOperator where TStride : struct, IBlockConstant where TMasks : struct, IBlockConstant
    {
        switch (vectors)
        {
            case 1: Block<TOp, TStride, TMasks, One>(op, a); break;
            case 2: Block<TOp, TStride, TMasks, Two>(op, a); break;
            case 3: Block<TOp, TStride, TMasks, Three>(op, a); break;
            default: Block<TOp, TStride, TMasks, Four>(op, a); break;
        }
    }

    /// <summary>
    /// One block of <typeparamref name="TVectors"/> vectors of outputs x0 .. x0 + outputs of a row: taps in order, the even
    /// ones onto a0..a3 (which start at the bias), the odd ones onto c0..c3; then their sum, the residual, the activation,
    /// and the store (the last vector's first lanes only, where the row ends inside it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<TOp, TStride, TMasks, TVectors>(TOp op, in BlockArguments a)
        where TOp : struct, IUnaryOperator where TStride : struct, IBlockConstant where TMasks : struct, IBlockConstant
        where TVectors : struct, IBlockConstant
    {
        var b = Vector512.Create(a.Bias);
        Vector512<float> a0 = b, a1 = b, a2 = b, a3 = b;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        long shift = (long)TStride.Value * a.X0;
        int kx = 0, t = 0;
        for (; t + 1 < a.TapCount; t += 2)
        {
            AddTap<TStride, TMasks, TVectors>((float*)a.Taps[t] + shift, a.Weights[t], a.Masks + kx * 64, ref a0, ref a1, ref a2, ref a3);
            if (++kx == a.KernelWidth) kx = 0;
            AddTap<TStride, TMasks, TVectors>((float*)a.Taps[t + 1] + shift, a.Weights[t + 1], a.Masks + kx * 64, ref c0, ref c1, ref c2, ref c3);
            if (++kx == a.KernelWidth) kx = 0;
        }
        if (t < a.TapCount) AddTap<TStride, TMasks, TVectors>((float*)a.Taps[t] + shift, a.Weights[t], a.Masks + kx * 64, ref a0, ref a1, ref a2, ref a3);
        float* y = a.Output + a.X0;
        float* r = a.Residual == null ? null : a.Residual + a.X0;
        Finish(op, a0 + c0, y, r, a.Outputs);
        if (TVectors.Value > 1) Finish(op, a1 + c1, y + 16, r == null ? null : r + 16, a.Outputs - 16);
        if (TVectors.Value > 2) Finish(op, a2 + c2, y + 32, r == null ? null : r + 32, a.Outputs - 32);
        if (TVectors.Value > 3) Finish(op, a3 + c3, y + 48, r == null ? null : r + 48, a.Outputs - 48);
    }

    /// <summary>Adds the residual, applies the activation and stores the first <paramref name="count"/> lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<TOp>(TOp op, Vector512<float> sum, float* y, float* residual, int count) where TOp : struct, IUnaryOperator
    {
        if (count >= 16)
        {
            if (residual != null) sum += Vector512.Load(residual);
            op.Invoke(sum).Store(y);
            return;
        }
        var first = LaneMasks.FirstLanes(count);
        if (residual != null) sum += Avx512F.MaskLoad(residual, first, Vector512<float>.Zero);
        Avx512F.MaskStore(y, first, op.Invoke(sum));
    }

    /// <summary>
    /// One tap on up to four vectors: at stride 1 the 16 floats at s + 16j, at stride 2 the even lanes of the 32 at s + 32j;
    /// times the weight onto x0..x3. Where <typeparamref name="TMasks"/> says so, the lanes that fall outside the row are
    /// zeroed with the masks at <paramref name="masks"/> + 16j.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTap<TStride, TMasks, TVectors>(float* s, float weight, float* masks,
        ref Vector512<float> x0, ref Vector512<float> x1, ref Vector512<float> x2, ref Vector512<float> x3)
        where TStride : struct, IBlockConstant where TMasks : struct, IBlockConstant where TVectors : struct, IBlockConstant
    {
        var w = Vector512.Create(weight);
        x0 = Vector512.FusedMultiplyAdd(Read<TStride, TMasks>(s, masks), w, x0);
        if (TVectors.Value > 1) x1 = Vector512.FusedMultiplyAdd(Read<TStride, TMasks>(s + 16 * TStride.Value, masks + 16), w, x1);
        if (TVectors.Value > 2) x2 = Vector512.FusedMultiplyAdd(Read<TStride, TMasks>(s + 32 * TStride.Value, masks + 32), w, x2);
        if (TVectors.Value > 3) x3 = Vector512.FusedMultiplyAdd(Read<TStride, TMasks>(s + 48 * TStride.Value, masks + 48), w, x3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Read<TStride, TMasks>(float* s, float* mask)
        where TStride : struct, IBlockConstant where TMasks : struct, IBlockConstant
    {
        Vector512<float> v = TStride.Value == 1
            ? Vector512.Load(s)
            : Avx512F.PermuteVar16x32x2(Vector512.Load(s), Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), Vector512.Load(s + 16));
        return TMasks.Value == 1 ? Vector512.BitwiseAnd(v, Vector512.Load(mask)) : v;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// What the blocked GEMM applies to an untransposed B as it packs it: row p becomes
/// max((B[p, j] - RowMean[p]) * RowScale[p] + RowShift[p], 0), an inference batch norm and ReLU on the input channels of
/// a 1x1 convolution (DenseNet's pre-activation layers). The normalised input is then never written out and read back:
/// the product reads the raw input once, as it packs it. The formula is
/// <see cref="Normalization.BatchNormKernel.ForwardInferenceRelu"/>'s, operation for operation, so the values agree with
/// that pass bit for bit.
/// </summary>
/// <param name="rowMean">[k] subtracted from row p, or null for no prologue.</param>
/// <param name="rowScale">[k] multiplying it.</param>
/// <param name="rowShift">[k] added after.</param>
internal readonly unsafe struct GemmPrologue(float* rowMean, float* rowScale, float* rowShift)
{
    public float* RowMean { get; } = rowMean;

    public float* RowScale { get; } = rowScale;

    public float* RowShift { get; } = rowShift;

    /// <summary>Whether B is packed as it is.</summary>
    public bool IsNone => RowMean == null;

    /// <summary>Row <paramref name="row"/>'s transform of one value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Apply(float value, int row) => Math.Max((value - RowMean[row]) * RowScale[row] + RowShift[row], 0f);

    /// <summary>Row <paramref name="row"/>'s transform of 16 values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Apply(Vector512<float> values, int row) =>
        Vector512.Max((values - Vector512.Create(RowMean[row])) * Vector512.Create(RowScale[row]) + Vector512.Create(RowShift[row]), Vector512<float>.Zero);
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// What a GEMM applies to each finished tile of C: C[i, j] = activation(C[i, j] + RowBias[i] + Residual[i, j]). A
/// convolution's output rows are its channels, so this is the bias (folded batch norm), the residual add and the
/// activation of a fused convolution, done while the tile is in L1.
/// </summary>
/// <param name="rowBias">[m] added to each row, or null.</param>
/// <param name="residual">[m, n] with leading dimension <paramref name="residualStride"/>, or null.</param>
/// <param name="residualStride">Row stride of <paramref name="residual"/>, in floats.</param>
/// <param name="activation">Applied last.</param>
internal readonly unsafe struct GemmEpilogue(float* rowBias, float* residual, long residualStride, ActivationKind activation)
{
    public float* RowBias { get; } = rowBias;

    public float* Residual { get; } = residual;

    public long ResidualStride { get; } = residualStride;

    public ActivationKind Activation { get; } = activation;

    /// <summary>Whether the epilogue changes nothing.</summary>
    public bool IsNone => RowBias == null && Residual == null && Activation == ActivationKind.Identity;

    /// <summary>The same epilogue with its residual <paramref name="floats"/> further on (another image's rows); bias and activation unchanged.</summary>
    public GemmEpilogue ShiftResidual(long floats) =>
        new(RowBias, Residual == null ? null : Residual + floats, ResidualStride, Activation);

    /// <summary>The same epilogue for the sub-matrix whose top-left element is (<paramref name="row"/>, <paramref name="col"/>).</summary>
    public GemmEpilogue Offset(int row, int col) =>
        new(RowBias == null ? null : RowBias + row, Residual == null ? null : Residual + row * ResidualStride + col, ResidualStride, Activation);

    /// <summary>Applies the epilogue to the rows x cols block of C at (<paramref name="row"/>, <paramref name="col"/>).</summary>
    public void Apply(float* c, long ldc, int row, int col, int rows, int cols)
    {
        for (int i = 0; i < rows; i++)
        {
            int r = row + i;
            FusedEpilogue.ApplyRow(Activation, c + i * ldc, cols, RowBias == null ? 0f : RowBias[r],
                Residual == null ? null : Residual + r * ResidualStride + col);
        }
    }

    /// <summary>
    /// <see cref="Apply"/> with the activation as an operator struct, inlined into the GEMM's tile loop: whole
    /// 16-float vectors (8 with AVX2) in registers, the few columns past the last whole vector one by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ApplyTile<TOp>(TOp op, float* c, long ldc, int row, int col, int rows, int cols) where TOp : struct, IUnaryOperator
    {
        for (int i = 0; i < rows; i++)
        {
            int r = row + i;
            float* y = c + i * ldc;
            float bias = RowBias == null ? 0f : RowBias[r];
            float* residual = Residual == null ? null : Residual + r * ResidualStride + col;
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var b = Vector512.Create(bias);
                for (; j <= cols - 16; j += 16)
                {
                    var v = Vector512.Load(y + j) + b;
                    if (residual != null) v += Vector512.Load(residual + j);
                    op.Invoke(v).Store(y + j);
                }
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                var b = Vector256.Create(bias);
                for (; j <= cols - 8; j += 8)
                {
                    var v = Vector256.Load(y + j) + b;
                    if (residual != null) v += Vector256.Load(residual + j);
                    op.Invoke(v).Store(y + j);
                }
            }
            for (; j < cols; j++) y[j] = op.Invoke(y[j] + bias + (residual == null ? 0f : residual[j]));
        }
    }
}

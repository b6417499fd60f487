using TransferKit.Kernels.Activations;

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
}

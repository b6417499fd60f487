using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Activations;

/// <summary>
/// y = activation(y + bias + residual) over one contiguous row, in registers: the last step of a fused convolution,
/// run on each output tile while it is still in L1 instead of as separate passes over the whole tensor (a bias fill,
/// an add and an activation pass each read and write every activation once more).
/// </summary>
internal static unsafe class FusedEpilogue
{
    /// <summary>Applies the epilogue to <paramref name="length"/> values at <paramref name="y"/>, in place.</summary>
    /// <param name="kind">The activation.</param>
    /// <param name="y">The row.</param>
    /// <param name="length">Values in the row.</param>
    /// <param name="bias">Added to every value first (0 for none).</param>
    /// <param name="residual">A row of the same length added before the activation, or null.</param>
    public static void ApplyRow(ActivationKind kind, float* y, int length, float bias, float* residual)
    {
        switch (kind)
        {
            case ActivationKind.Identity: ApplyRow(default(IdentityOperator), y, length, bias, residual); break;
            case ActivationKind.ReLU: ApplyRow(default(ReluOperator), y, length, bias, residual); break;
            case ActivationKind.ReLU6: ApplyRow(default(Relu6Operator), y, length, bias, residual); break;
            case ActivationKind.SiLU: ApplyRow(default(SiluOperator), y, length, bias, residual); break;
            case ActivationKind.Sigmoid: ApplyRow(default(SigmoidOperator), y, length, bias, residual); break;
            case ActivationKind.Hardswish: ApplyRow(default(HardswishOperator), y, length, bias, residual); break;
            case ActivationKind.Tanh: ApplyRow(default(TanhOperator), y, length, bias, residual); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation.");
        }
    }

    /// <summary>
    /// Applies the epilogue to NCHW planes in parallel: plane (n, c) gets <c>bias[c]</c> (none when null) and the
    /// residual plane at the same offset. For paths whose kernel cannot apply it per tile.
    /// </summary>
    public static void ApplyPlanes(ActivationKind kind, float* y, int batch, int channels, int plane, float* bias, float* residual)
    {
        if (kind == ActivationKind.Identity && bias == null && residual == null) return;
        Parallelism.For(0, batch * channels, item =>
        {
            long offset = (long)item * plane;
            ApplyRow(kind, y + offset, plane, bias == null ? 0f : bias[item % channels], residual == null ? null : residual + offset);
        }, Math.Max(1, 16384 / Math.Max(1, plane)));
    }

    /// <summary>
    /// Whether <typeparamref name="TOp"/>'s vector form takes so few registers (identity, ReLU, ReLU6, hardswish: a
    /// constant or two) that a kernel holding its tile in most of the vector registers can apply it before the store.
    /// The exp-based activations (SiLU, sigmoid, tanh) need a dozen constants and temporaries; a kernel applies them
    /// over the tile it has just stored instead. A JIT-time constant for each operator struct.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool FitsBesideAccumulators<TOp>() where TOp : struct, IUnaryOperator =>
        typeof(TOp) == typeof(IdentityOperator) || typeof(TOp) == typeof(ReluOperator) || typeof(TOp) == typeof(Relu6Operator)
        || typeof(TOp) == typeof(HardswishOperator);

    /// <summary>
    /// y = op(y) over <paramref name="length"/> values in place, in vectors as wide as the CPU has and element by element
    /// past the last whole vector of 8, where a kernel applying <paramref name="op"/> before its store changes width too,
    /// so the bits are the same: the second half of an activation that does not
    /// <see cref="FitsBesideAccumulators{TOp}"/>, after the kernel has stored its sums.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ActivateInPlace<TOp>(TOp op, float* y, int length) where TOp : struct, IUnaryOperator
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= length - 16; i += 16) op.Invoke(Vector512.Load(y + i)).Store(y + i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= length - 8; i += 8) op.Invoke(Vector256.Load(y + i)).Store(y + i);
        }
        for (; i < length; i++) y[i] = op.Invoke(y[i]);
    }

    /// <summary>The epilogue with the activation given as an operator struct.</summary>
    internal static void ApplyRow<TOp>(TOp op, float* y, int length, float bias, float* residual) where TOp : struct, IUnaryOperator
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var b = Vector512.Create(bias);
            if (residual == null)
            {
                for (; i <= length - 16; i += 16) op.Invoke(Vector512.Load(y + i) + b).Store(y + i);
            }
            else
            {
                for (; i <= length - 16; i += 16) op.Invoke(Vector512.Load(y + i) + b + Vector512.Load(residual + i)).Store(y + i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var b = Vector256.Create(bias);
            for (; i <= length - 8; i += 8)
            {
                var v = Vector256.Load(y + i) + b;
                if (residual != null) v += Vector256.Load(residual + i);
                op.Invoke(v).Store(y + i);
            }
        }
        for (; i < length; i++) y[i] = op.Invoke(y[i] + bias + (residual == null ? 0f : residual[i]));
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TransferKit.Kernels.Activations;

/// <summary>
/// max(x, 0) on vectors with IEEE semantics (NaN stays NaN, -0 becomes +0, as <see cref="MathF.Max"/> and
/// <c>Vector256.Max</c>) in two instructions: x where x &lt;= 0 is false (positive or NaN), +0 elsewhere.
/// <c>Vector256.Max(x, Zero)</c> guards both cases with two more compares, an or and a zeroing move per vector, which a
/// ReLU epilogue over a small-K GEMM tile or a depthwise block pays on every output.
/// </summary>
internal static class Rectifier
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max0(Vector256<float> x) => Vector256.AndNot(x, Vector256.LessThanOrEqual(x, Vector256<float>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max0(Vector512<float> x) => Vector512.AndNot(x, Vector512.LessThanOrEqual(x, Vector512<float>.Zero));
}

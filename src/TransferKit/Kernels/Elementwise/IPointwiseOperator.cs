using System.Runtime.Intrinsics;

namespace TransferKit.Kernels.Elementwise;

/// <summary>
/// An element-wise function of one input, written once per width so <see cref="PointwiseDriver"/> can
/// run it at the widest width the CPU has. Instance methods on a struct, so an operator can carry
/// scalar parameters in its fields and still be specialised by the JIT.
/// </summary>
internal interface IUnaryOperator
{
    float Invoke(float x);

    Vector256<float> Invoke(Vector256<float> x);

    Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>An element-wise function of two inputs; see <see cref="IUnaryOperator"/>.</summary>
internal interface IBinaryOperator
{
    float Invoke(float a, float b);

    Vector256<float> Invoke(Vector256<float> a, Vector256<float> b);

    Vector512<float> Invoke(Vector512<float> a, Vector512<float> b);
}

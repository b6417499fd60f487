using System.Runtime.Intrinsics;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Activations;

// Unary operators for the activations that TensorPrimitives computes in ActivationKernel, so that a fused epilogue
// (FusedEpilogue) can apply every activation in registers. ReLU and ReLU6 give the same bits as TensorPrimitives.Max
// and Clamp; Sigmoid and Tanh agree with it to float rounding.

/// <summary>x.</summary>
internal readonly struct IdentityOperator : IUnaryOperator
{
    public float Invoke(float x) => x;

    public Vector256<float> Invoke(Vector256<float> x) => x;

    public Vector512<float> Invoke(Vector512<float> x) => x;
}

/// <summary>max(x, 0).</summary>
internal readonly struct ReluOperator : IUnaryOperator
{
    public float Invoke(float x) => MathF.Max(x, 0f);

    public Vector256<float> Invoke(Vector256<float> x) => Rectifier.Max0(x);

    public Vector512<float> Invoke(Vector512<float> x) => Rectifier.Max0(x);
}

/// <summary>min(max(x, 0), 6).</summary>
internal readonly struct Relu6Operator : IUnaryOperator
{
    public float Invoke(float x) => MathF.Min(MathF.Max(x, 0f), 6f);

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Min(Rectifier.Max0(x), Vector256.Create(6f));

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Min(Rectifier.Max0(x), Vector512.Create(6f));
}

/// <summary>1 / (1 + exp(-x)).</summary>
internal readonly struct SigmoidOperator : IUnaryOperator
{
    public float Invoke(float x) => 1f / (1f + MathF.Exp(-x));

    public Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + FastExp.Exp(-x));

    public Vector512<float> Invoke(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + FastExp.Exp(-x));
}

/// <summary>tanh(x) = 1 - 2 / (exp(2x) + 1), which saturates to exactly ±1 where exp overflows or underflows.</summary>
internal readonly struct TanhOperator : IUnaryOperator
{
    public float Invoke(float x) => MathF.Tanh(x);

    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256<float>.One - Vector256.Create(2f) / (FastExp.Exp(x + x) + Vector256<float>.One);

    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512<float>.One - Vector512.Create(2f) / (FastExp.Exp(x + x) + Vector512<float>.One);
}

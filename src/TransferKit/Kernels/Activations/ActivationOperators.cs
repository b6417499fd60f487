using System.Runtime.Intrinsics;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Activations;

// Operator structs for the activations TensorPrimitives does not have. Each states the function once per
// width; PointwiseDriver chooses the width. Backward operators take (input or output, gradY) and return the
// term added to gradX.

/// <summary>x * relu6(x + 3) / 6, dividing (not multiplying by 1/6) as PyTorch's CPU kernel does.</summary>
internal readonly struct HardswishOperator : IUnaryOperator
{
    public float Invoke(float x) => x * MathF.Min(MathF.Max(x + 3f, 0f), 6f) / 6f;

    public Vector256<float> Invoke(Vector256<float> x) =>
        x * Vector256.Min(Rectifier.Max0(x + Vector256.Create(3f)), Vector256.Create(6f)) / Vector256.Create(6f);

    public Vector512<float> Invoke(Vector512<float> x) =>
        x * Vector512.Min(Rectifier.Max0(x + Vector512.Create(3f)), Vector512.Create(6f)) / Vector512.Create(6f);
}

/// <summary>Hardswish gradient from the input: 0 for x &lt;= -3, g * (x / 3 + 1/2) inside, g for x &gt;= 3.</summary>
internal readonly struct HardswishGradientOperator : IBinaryOperator
{
    public float Invoke(float x, float g) => x <= -3f ? 0f : x < 3f ? g * (x / 3f + 0.5f) : g;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g)
    {
        var inner = g * (x / Vector256.Create(3f) + Vector256.Create(0.5f));
        var upper = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256.Create(3f)), g, inner);
        return Vector256.ConditionalSelect(Vector256.LessThanOrEqual(x, Vector256.Create(-3f)), Vector256<float>.Zero, upper);
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g)
    {
        var inner = g * (x / Vector512.Create(3f) + Vector512.Create(0.5f));
        var upper = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512.Create(3f)), g, inner);
        return Vector512.ConditionalSelect(Vector512.LessThanOrEqual(x, Vector512.Create(-3f)), Vector512<float>.Zero, upper);
    }
}

/// <summary>x / (1 + exp(-x)), the form PyTorch's CPU kernel evaluates; exact limits at both ends (exp overflows to +inf for x &lt;&lt; 0).</summary>
internal readonly struct SiluOperator : IUnaryOperator
{
    public float Invoke(float x) => x / (1f + MathF.Exp(-x));

    public Vector256<float> Invoke(Vector256<float> x) => x / (Vector256<float>.One + FastExp.Exp(-x));

    public Vector512<float> Invoke(Vector512<float> x) => x / (Vector512<float>.One + FastExp.Exp(-x));
}

/// <summary>SiLU gradient from the input: g * s * (1 + x * (1 - s)) with s = sigmoid(x), as PyTorch's silu_backward.</summary>
internal readonly struct SiluGradientOperator : IBinaryOperator
{
    public float Invoke(float x, float g)
    {
        float s = 1f / (1f + MathF.Exp(-x));
        return g * s * (1f + x * (1f - s));
    }

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g)
    {
        var one = Vector256<float>.One;
        var s = one / (one + FastExp.Exp(-x));
        return g * s * (one + x * (one - s));
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g)
    {
        var one = Vector512<float>.One;
        var s = one / (one + FastExp.Exp(-x));
        return g * s * (one + x * (one - s));
    }
}

/// <summary>ReLU gradient from the output: 0 where y &lt;= 0, else g (PyTorch's threshold_backward on the result).</summary>
internal readonly struct ReluGradientOperator : IBinaryOperator
{
    public float Invoke(float y, float g) => y <= 0f ? 0f : g;

    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> g) =>
        Vector256.ConditionalSelect(Vector256.LessThanOrEqual(y, Vector256<float>.Zero), Vector256<float>.Zero, g);

    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> g) =>
        Vector512.ConditionalSelect(Vector512.LessThanOrEqual(y, Vector512<float>.Zero), Vector512<float>.Zero, g);
}

/// <summary>ReLU6 gradient from the input: 0 where x &lt;= 0 or x &gt;= 6, else g (PyTorch's hardtanh_backward).</summary>
internal readonly struct Relu6GradientOperator : IBinaryOperator
{
    public float Invoke(float x, float g) => x <= 0f || x >= 6f ? 0f : g;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g)
    {
        var outside = Vector256.LessThanOrEqual(x, Vector256<float>.Zero) | Vector256.GreaterThanOrEqual(x, Vector256.Create(6f));
        return Vector256.ConditionalSelect(outside, Vector256<float>.Zero, g);
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g)
    {
        var outside = Vector512.LessThanOrEqual(x, Vector512<float>.Zero) | Vector512.GreaterThanOrEqual(x, Vector512.Create(6f));
        return Vector512.ConditionalSelect(outside, Vector512<float>.Zero, g);
    }
}

/// <summary>Sigmoid gradient from the output: g * (1 - y) * y.</summary>
internal readonly struct SigmoidGradientOperator : IBinaryOperator
{
    public float Invoke(float y, float g) => g * (1f - y) * y;

    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> g) => g * (Vector256<float>.One - y) * y;

    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> g) => g * (Vector512<float>.One - y) * y;
}

/// <summary>Tanh gradient from the output: g * (1 - y * y).</summary>
internal readonly struct TanhGradientOperator : IBinaryOperator
{
    public float Invoke(float y, float g) => g * (1f - y * y);

    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> g) => g * (Vector256<float>.One - y * y);

    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> g) => g * (Vector512<float>.One - y * y);
}

using System.Runtime.Intrinsics;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Losses;

/// <summary>
/// One element of BCE with logits: (1 - t) * x + (1 + (pw - 1) * t) * softplus(-x), with
/// softplus(-x) = max(-x, 0) + log(1 + exp(-|x|)) so no exp can overflow. Algebraically PyTorch's
/// -[pw * t * log sigmoid(x) + (1 - t) * log(1 - sigmoid(x))].
/// </summary>
internal readonly struct BinaryCrossEntropyOperator(float posWeight) : IBinaryOperator
{
    private readonly float _posWeightMinusOne = posWeight - 1f;

    public float Invoke(float x, float t)
    {
        float softplusNeg = MathF.Max(-x, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(x)));
        return (1f - t) * x + (1f + _posWeightMinusOne * t) * softplusNeg;
    }

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> t)
    {
        var one = Vector256<float>.One;
        var softplusNeg = Vector256.Max(-x, Vector256<float>.Zero) + Vector256.Log(one + Vector256.Exp(-Vector256.Abs(x)));
        return (one - t) * x + (one + Vector256.Create(_posWeightMinusOne) * t) * softplusNeg;
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> t)
    {
        var one = Vector512<float>.One;
        var softplusNeg = Vector512.Max(-x, Vector512<float>.Zero) + Vector512.Log(one + Vector512.Exp(-Vector512.Abs(x)));
        return (one - t) * x + (one + Vector512.Create(_posWeightMinusOne) * t) * softplusNeg;
    }
}

/// <summary>
/// One element's gradient, pre-scaled by gradLoss / length: scale * ((1 + (pw - 1) * t) * sigmoid(x) - pw * t),
/// which is sigmoid(x) - t exactly when pw = 1. sigmoid(x) = 1 / (1 + exp(-x)) reaches 0 and 1 without NaN.
/// </summary>
internal readonly struct BinaryCrossEntropyGradientOperator(float posWeight, float scale) : IBinaryOperator
{
    private readonly float _posWeight = posWeight;
    private readonly float _posWeightMinusOne = posWeight - 1f;
    private readonly float _scale = scale;

    public float Invoke(float x, float t)
    {
        float s = 1f / (1f + MathF.Exp(-x));
        return _scale * ((1f + _posWeightMinusOne * t) * s - _posWeight * t);
    }

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> t)
    {
        var one = Vector256<float>.One;
        var s = one / (one + Vector256.Exp(-x));
        return Vector256.Create(_scale) * ((one + Vector256.Create(_posWeightMinusOne) * t) * s - Vector256.Create(_posWeight) * t);
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> t)
    {
        var one = Vector512<float>.One;
        var s = one / (one + Vector512.Exp(-x));
        return Vector512.Create(_scale) * ((one + Vector512.Create(_posWeightMinusOne) * t) * s - Vector512.Create(_posWeight) * t);
    }
}

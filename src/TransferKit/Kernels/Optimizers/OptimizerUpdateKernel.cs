using System.Runtime.Intrinsics;

namespace TransferKit.Kernels.Optimizers;

/// <summary>
/// In-place parameter updates with PyTorch 1.13's formulas (single-tensor path), in float32 as PyTorch does.
/// The scalar loop is the reference; the Vector512 and Vector256 loops are the same arithmetic per lane.
/// </summary>
public static unsafe class OptimizerUpdateKernel
{
    /// <summary>
    /// SGD: d = g + wd*p; with momentum, buf = g-d on the first step else momentum*buf + (1-dampening)*d, and
    /// d = nesterov ? d + momentum*buf : buf; then p -= lr*d.
    /// </summary>
    /// <param name="length">Elements.</param>
    /// <param name="param">Parameter values, updated.</param>
    /// <param name="grad">Gradient.</param>
    /// <param name="momentumBuffer">Momentum state (ignored when momentum is 0), updated.</param>
    /// <param name="firstStep">Whether the momentum buffer is uninitialised (PyTorch clones d into it).</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="momentum">Momentum factor.</param>
    /// <param name="dampening">Dampening of the momentum.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="nesterov">Nesterov momentum.</param>
    public static void Sgd(int length, float* param, float* grad, float* momentumBuffer, bool firstStep,
        float lr, float momentum, float dampening, float weightDecay, bool nesterov)
    {
        for (int i = 0; i < length; i++)
        {
            float d = grad[i];
            if (weightDecay != 0) d += weightDecay * param[i];
            if (momentum != 0)
            {
                float buf = firstStep ? d : momentum * momentumBuffer[i] + (1 - dampening) * d;
                momentumBuffer[i] = buf;
                d = nesterov ? d + momentum * buf : buf;
            }
            param[i] -= lr * d;
        }
    }

    /// <summary>
    /// Adam / AdamW. With <paramref name="decoupledWeightDecay"/> (AdamW) p *= 1 - lr*wd first; otherwise (Adam) g += wd*p.
    /// Then m = b1*m + (1-b1)*g, v = b2*v + (1-b2)*g², p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
    /// </summary>
    /// <param name="length">Elements.</param>
    /// <param name="param">Parameter values, updated.</param>
    /// <param name="grad">Gradient.</param>
    /// <param name="expAvg">First moment, updated.</param>
    /// <param name="expAvgSq">Second moment, updated.</param>
    /// <param name="step">This parameter's step number, starting at 1.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="beta1">First-moment decay.</param>
    /// <param name="beta2">Second-moment decay.</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">L2 penalty (Adam) or decoupled decay (AdamW).</param>
    /// <param name="decoupledWeightDecay">AdamW's decoupled decay.</param>
    public static void Adam(int length, float* param, float* grad, float* expAvg, float* expAvgSq, long step,
        float lr, float beta1, float beta2, float eps, float weightDecay, bool decoupledWeightDecay)
    {
        double bc1 = 1 - Math.Pow(beta1, step);
        double bc2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, step));
        float stepSize = (float)(lr / bc1);
        float invBc2Sqrt = (float)(1 / bc2Sqrt);
        float decay = decoupledWeightDecay ? 1 - lr * weightDecay : 1;
        float l2 = decoupledWeightDecay ? 0 : weightDecay;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vDecay = Vector512.Create(decay);
            var vL2 = Vector512.Create(l2);
            var vB1 = Vector512.Create(beta1);
            var vB2 = Vector512.Create(beta2);
            var v1mB1 = Vector512.Create(1 - beta1);
            var v1mB2 = Vector512.Create(1 - beta2);
            var vInv = Vector512.Create(invBc2Sqrt);
            var vEps = Vector512.Create(eps);
            var vStep = Vector512.Create(stepSize);
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var p = Vector512.Load(param + i) * vDecay;
                var g = Vector512.Load(grad + i) + vL2 * p;
                var m = vB1 * Vector512.Load(expAvg + i) + v1mB1 * g;
                var v = vB2 * Vector512.Load(expAvgSq + i) + v1mB2 * (g * g);
                m.Store(expAvg + i);
                v.Store(expAvgSq + i);
                var denom = Vector512.Sqrt(v) * vInv + vEps;
                (p - vStep * (m / denom)).Store(param + i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            // AVX2 CPUs: the same arithmetic per lane, eight at a time.
            var vDecay = Vector256.Create(decay);
            var vL2 = Vector256.Create(l2);
            var vB1 = Vector256.Create(beta1);
            var vB2 = Vector256.Create(beta2);
            var v1mB1 = Vector256.Create(1 - beta1);
            var v1mB2 = Vector256.Create(1 - beta2);
            var vInv = Vector256.Create(invBc2Sqrt);
            var vEps = Vector256.Create(eps);
            var vStep = Vector256.Create(stepSize);
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var p = Vector256.Load(param + i) * vDecay;
                var g = Vector256.Load(grad + i) + vL2 * p;
                var m = vB1 * Vector256.Load(expAvg + i) + v1mB1 * g;
                var v = vB2 * Vector256.Load(expAvgSq + i) + v1mB2 * (g * g);
                m.Store(expAvg + i);
                v.Store(expAvgSq + i);
                var denom = Vector256.Sqrt(v) * vInv + vEps;
                (p - vStep * (m / denom)).Store(param + i);
            }
        }
        for (; i < length; i++)
        {
            float p = param[i] * decay;
            float g = grad[i] + l2 * p;
            float m = beta1 * expAvg[i] + (1 - beta1) * g;
            float v = beta2 * expAvgSq[i] + (1 - beta2) * (g * g);
            expAvg[i] = m;
            expAvgSq[i] = v;
            param[i] = p - stepSize * (m / (MathF.Sqrt(v) * invBc2Sqrt + eps));
        }
    }
}

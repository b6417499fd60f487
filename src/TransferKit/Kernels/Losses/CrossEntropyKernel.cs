using System.Numerics.Tensors;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Losses;

/// <summary>
/// Softmax cross entropy over class indices, equal to PyTorch's
/// <c>torch.nn.functional.cross_entropy(logits, labels, weight=w, label_smoothing=ls)</c> with reduction 'mean'.
/// With W = sum_i w[y_i] (the batch size when there are no weights), log-probabilities lp and C classes:
/// <code>loss = (1 - ls) * sum_i w[y_i] * (-lp[i, y_i]) / W  +  (ls / C) * sum_i sum_c w[c] * (-lp[i, c]) / W</code>
/// which is how PyTorch 1.13 and later combine the weighted NLL with the smoothing term (both normalised by W).
/// Labels are checked before anything is written; ignore_index is not supported.
/// </summary>
public static unsafe class CrossEntropyKernel
{
    /// <summary>
    /// Returns the mean loss and writes the softmax of each row of <paramref name="logits"/> into
    /// <paramref name="probabilities"/> for <see cref="Backward"/>. An empty batch returns NaN, as PyTorch's mean over
    /// nothing does; so do weights whose target sum W is zero.
    /// </summary>
    /// <param name="batch">Rows.</param>
    /// <param name="classes">Columns, at least 1.</param>
    /// <param name="logits">[batch, classes] raw scores.</param>
    /// <param name="labels">[batch] class indices in [0, classes).</param>
    /// <param name="classWeights">[classes] rescaling weights, or null for all ones.</param>
    /// <param name="labelSmoothing">Label smoothing in [0, 1).</param>
    /// <param name="probabilities">[batch, classes] output: the row-wise softmax.</param>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, classes) (the message names its row), the smoothing is outside [0, 1), classes &lt; 1 or batch &lt; 0.</exception>
    public static float Forward(int batch, int classes, float* logits, int* labels, float* classWeights, float labelSmoothing, float* probabilities)
    {
        LossArguments.ValidateCrossEntropy(batch, classes, labels, labelSmoothing);
        if (batch == 0) return float.NaN;
        float classWeightSum = (float)LossArguments.ClassWeightSum(classes, classWeights);
        bool smoothing = labelSmoothing > 0f;
        // Per-row terms land in fixed slots and are summed afterwards in row order: same result for any thread count.
        using var terms = new ScratchBuffer(2 * batch);
        float* nll = terms.Pointer, smooth = terms.Pointer + batch;
        ParallelRanges.Run(batch, (long)batch * classes, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                long o = (long)r * classes;
                var z = new ReadOnlySpan<float>(logits + o, classes);
                var p = new Span<float>(probabilities + o, classes);
                // Work on shifted logits z - max (all <= 0): -lp[c] = log(sum exp) - (z[c] - max) without cancellation.
                float max = TensorPrimitives.Max(z);
                TensorPrimitives.Subtract(z, max, p);
                float shiftedTarget = p[labels[r]];
                float weightedShifted = !smoothing ? 0f
                    : classWeights == null ? TensorPrimitives.Sum(p)
                    : TensorPrimitives.Dot(new ReadOnlySpan<float>(classWeights, classes), p);
                TensorPrimitives.Exp(p, p);
                float sum = TensorPrimitives.Sum(p);
                TensorPrimitives.Divide(p, sum, p);
                float logSum = MathF.Log(sum);
                nll[r] = logSum - shiftedTarget;
                smooth[r] = smoothing ? logSum * classWeightSum - weightedShifted : 0f;
            }
        });
        double nllSum = 0, smoothSum = 0, targetWeightSum = 0;
        for (int r = 0; r < batch; r++)
        {
            double w = classWeights == null ? 1.0 : classWeights[labels[r]];
            targetWeightSum += w;
            nllSum += w * nll[r];
            smoothSum += smooth[r];
        }
        double ls = labelSmoothing;
        return (float)(((1 - ls) * nllSum + ls / classes * smoothSum) / targetWeightSum);
    }

    /// <summary>
    /// Adds gradLoss * d(loss)/d(logits) to <paramref name="gradLogits"/>, from the probabilities that
    /// <see cref="Forward"/> wrote. Per row, with W, w, C and ls as in the class summary and p the softmax:
    /// <code>gradLogits[i, c] += gradLoss / W * ((1 - ls) * w[y_i] * (p[i, c] - [c == y_i]) + ls / C * (p[i, c] * sum_k w[k] - w[c]))</code>
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Same conditions as <see cref="Forward"/>.</exception>
    public static void Backward(int batch, int classes, float* probabilities, int* labels, float* classWeights, float labelSmoothing, float gradLoss, float* gradLogits)
    {
        LossArguments.ValidateCrossEntropy(batch, classes, labels, labelSmoothing);
        if (batch == 0) return;
        double coefficient = gradLoss / LossArguments.TargetWeightSum(batch, labels, classWeights);
        double ls = labelSmoothing;
        double smoothMass = ls / classes * LossArguments.ClassWeightSum(classes, classWeights);
        float uniform = (float)(-coefficient * ls / classes);
        ParallelRanges.Run(batch, (long)batch * classes, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
            {
                long o = (long)r * classes;
                int label = labels[r];
                double targetWeight = classWeights == null ? 1.0 : classWeights[label];
                var g = new Span<float>(gradLogits + o, classes);
                // Every class gets p[c] times the row's total target mass, minus its own share of that mass.
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(probabilities + o, classes), (float)(coefficient * ((1 - ls) * targetWeight + smoothMass)), g, g);
                if (ls > 0)
                {
                    if (classWeights == null) TensorPrimitives.Add(g, uniform, g);
                    else TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(classWeights, classes), uniform, g, g);
                }
                g[label] -= (float)(coefficient * (1 - ls) * targetWeight);
            }
        });
    }
}

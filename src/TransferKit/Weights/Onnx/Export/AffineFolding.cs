namespace TransferKit.Weights.Onnx.Export;

/// <summary>
/// Folds an evaluation-mode batch norm (a per-channel y = scale x + shift) into the weights of the convolution or linear
/// layer next to it, in double precision. The same algebra as <c>Models/Inference/FoldedConvBatchNorm</c>, applied to
/// copies so the model itself is untouched.
/// </summary>
internal static class AffineFolding
{
    /// <summary>scale = gamma / sqrt(var + eps), shift = beta - mean * scale (gamma 1 and beta 0 when absent).</summary>
    public static (float[] Scale, float[] Shift) ScaleShift(float[]? gamma, float[]? beta, float[] mean, float[] variance, float eps)
    {
        var scale = new float[mean.Length];
        var shift = new float[mean.Length];
        for (int c = 0; c < mean.Length; c++)
        {
            double s = (gamma?[c] ?? 1.0) / Math.Sqrt(variance[c] + (double)eps);
            scale[c] = (float)s;
            shift[c] = (float)((beta?[c] ?? 0.0) - (mean[c] * s));
        }
        return (scale, shift);
    }

    /// <summary>
    /// The norm applied after the layer: each output channel o of weight [out, ...] scaled by scale[o], and the bias
    /// becoming bias * scale + shift.
    /// </summary>
    public static (float[] Weight, float[] Bias) IntoOutputs(float[] weight, float[]? bias, int outputs, (float[] Scale, float[] Shift) norm)
    {
        int per = weight.Length / outputs;
        var w = new float[weight.Length];
        var b = new float[outputs];
        for (int o = 0; o < outputs; o++)
        {
            double s = norm.Scale[o];
            for (int k = 0; k < per; k++) w[(o * per) + k] = (float)(weight[(o * per) + k] * s);
            b[o] = (float)(((bias?[o] ?? 0.0) * s) + norm.Shift[o]);
        }
        return (w, b);
    }

    /// <summary>
    /// The norm applied to a linear layer's input [N, in]: W'[o, i] = W[o, i] scale[i], b'[o] = b[o] + sum_i W[o, i] shift[i].
    /// </summary>
    public static (float[] Weight, float[] Bias) IntoInputs(float[] weight, float[]? bias, int outputs, int inputs, (float[] Scale, float[] Shift) norm)
    {
        var w = new float[weight.Length];
        var b = new float[outputs];
        for (int o = 0; o < outputs; o++)
        {
            double sum = bias?[o] ?? 0.0;
            for (int i = 0; i < inputs; i++)
            {
                float v = weight[(o * inputs) + i];
                w[(o * inputs) + i] = (float)(v * (double)norm.Scale[i]);
                sum += v * (double)norm.Shift[i];
            }
            b[o] = (float)sum;
        }
        return (w, b);
    }
}

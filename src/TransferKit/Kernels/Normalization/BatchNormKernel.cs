namespace TransferKit.Kernels.Normalization;

/// <summary>
/// Batch normalisation over x of layout [batch, channels, spatial] (contiguous; spatial = H*W for BatchNorm2d,
/// 1 for BatchNorm1d on [N, C]) with PyTorch's semantics: normalisation by the biased batch variance, running
/// statistics updated as running = (1 - momentum) * running + momentum * batchStat with the UNBIASED variance
/// (n / (n - 1)) for the running variance, where n = batch * spatial.
/// Channels run in parallel; each channel's statistics are accumulated in double precision.
/// </summary>
public static unsafe class BatchNormKernel
{
    /// <summary>Work (elements) below which a parallel loop is not worth its scheduling cost.</summary>
    private const int MinElementsPerThread = 32_768;

    /// <summary>
    /// Training-mode forward with batch statistics. Overwrites <paramref name="y"/> (which may equal <paramref name="x"/>).
    /// </summary>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="spatial">Elements per channel per item (H*W; 1 for BatchNorm1d).</param>
    /// <param name="x">Input [N, C, spatial].</param>
    /// <param name="gamma">Scale [C], or null for affine=false (scale 1).</param>
    /// <param name="beta">Shift [C], or null for affine=false (shift 0).</param>
    /// <param name="eps">Added to the variance before the square root (PyTorch default 1e-5).</param>
    /// <param name="momentum">Weight of the batch statistic in the running update (PyTorch default 0.1).</param>
    /// <param name="runningMean">Running mean [C], updated in place; null when not tracked.</param>
    /// <param name="runningVar">Running variance [C], updated in place with the unbiased batch variance; null when not tracked.</param>
    /// <param name="y">Output [N, C, spatial].</param>
    /// <param name="saveMean">Output [C]: batch mean, kept for backward; may be null.</param>
    /// <param name="saveInvStd">Output [C]: 1 / sqrt(biased batch variance + eps), kept for backward; may be null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> or <paramref name="y"/> is null.</exception>
    /// <exception cref="ArgumentException">batch * spatial == 1: one value per channel has no variance (PyTorch raises too).</exception>
    /// <remarks>With batch * spatial == 0 nothing is normalised, the running statistics stay and the saved ones are 0.</remarks>
    public static void ForwardTraining(int batch, int channels, int spatial, float* x, float* gamma, float* beta,
        float eps, float momentum, float* runningMean, float* runningVar, float* y, float* saveMean, float* saveInvStd) =>
        ForwardTraining(batch, channels, spatial, x, gamma, beta, eps, momentum, runningMean, runningVar, y, saveMean, saveInvStd,
            relu: false, saveScale: null);

    /// <summary>
    /// As the public overload, with ReLU applied in the same pass when <paramref name="relu"/>; <paramref name="saveScale"/>
    /// (may be null) receives each channel's float scale gamma * invStd, so that the backward pass can recompute the
    /// pre-activation exactly.
    /// </summary>
    internal static void ForwardTraining(int batch, int channels, int spatial, float* x, float* gamma, float* beta,
        float eps, float momentum, float* runningMean, float* runningVar, float* y, float* saveMean, float* saveInvStd,
        bool relu, float* saveScale)
    {
        CheckSizes(batch, channels, spatial);
        long count = (long)batch * spatial;
        CheckPointer(x, nameof(x), count * channels);
        CheckPointer(y, nameof(y), count * channels);
        if (count == 1)
            throw new ArgumentException($"Batch norm in training mode needs more than 1 value per channel; got batch {batch} x spatial {spatial}.", nameof(batch));
        if (count == 0)
        {
            for (int c = 0; c < channels; c++)
            {
                if (saveMean != null) saveMean[c] = 0;
                if (saveInvStd != null) saveInvStd[c] = 0;
                if (saveScale != null) saveScale[c] = 0;
            }
            return;
        }
        Parallelism.For(0, channels, c =>
        {
            double mean = WideningSum.SumOverBatch<PlainTerm>(batch, channels, spatial, c, x, x, 0, 0) / count;
            double squares = WideningSum.SumOverBatch<ProductTerm>(batch, channels, spatial, c, x, x, mean, mean);
            double invStd = 1.0 / Math.Sqrt(squares / count + eps);
            if (saveMean != null) saveMean[c] = (float)mean;
            if (saveInvStd != null) saveInvStd[c] = (float)invStd;
            if (runningMean != null) runningMean[c] = (float)((1.0 - momentum) * runningMean[c] + momentum * mean);
            if (runningVar != null) runningVar[c] = (float)((1.0 - momentum) * runningVar[c] + momentum * (squares / (count - 1)));
            float scale = (float)(gamma == null ? invStd : gamma[c] * invStd), shift = beta == null ? 0f : beta[c];
            if (saveScale != null) saveScale[c] = scale;
            if (relu) ApplyOverBatch(new NormalizeReluOp((float)mean, scale, shift), batch, channels, spatial, c, x, null, y);
            else ApplyOverBatch(new NormalizeOp((float)mean, scale, shift), batch, channels, spatial, c, x, null, y);
        }, MinPerThread(batch, spatial));
    }

    /// <summary>Inference-mode forward with the running statistics. Overwrites <paramref name="y"/> (which may equal <paramref name="x"/>).</summary>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="spatial">Elements per channel per item.</param>
    /// <param name="x">Input [N, C, spatial].</param>
    /// <param name="gamma">Scale [C], or null (1).</param>
    /// <param name="beta">Shift [C], or null (0).</param>
    /// <param name="runningMean">Running mean [C].</param>
    /// <param name="runningVar">Running variance [C].</param>
    /// <param name="eps">Added to the variance before the square root.</param>
    /// <param name="y">Output [N, C, spatial].</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative.</exception>
    /// <exception cref="ArgumentNullException">x, y or a running statistic is null.</exception>
    public static void ForwardInference(int batch, int channels, int spatial, float* x, float* gamma, float* beta,
        float* runningMean, float* runningVar, float eps, float* y)
    {
        CheckSizes(batch, channels, spatial);
        long elements = (long)batch * channels * spatial;
        CheckPointer(x, nameof(x), elements);
        CheckPointer(y, nameof(y), elements);
        CheckPointer(runningMean, nameof(runningMean), channels);
        CheckPointer(runningVar, nameof(runningVar), channels);
        NormalizeWithRunningStatistics(batch, channels, spatial, x, (long)channels * spatial, gamma, beta, runningMean, runningVar, eps, y, relu: false);
    }

    /// <summary>
    /// y = max(inference batch norm(x), 0) for the first <paramref name="channels"/> channels of each image of a wider
    /// tensor: image n of x starts <paramref name="xImageStride"/> floats after image n - 1, y is [N, C, spatial]. The
    /// normalisation rounds as <see cref="ForwardInference"/>'s does. DenseNet's layers normalise a prefix of their block's
    /// growing feature tensor this way, without a copy of the prefix first.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, or the image stride is shorter than an image's channels.</exception>
    /// <exception cref="ArgumentNullException">x, y or a running statistic is null.</exception>
    public static void ForwardInferenceRelu(int batch, int channels, int spatial, float* x, long xImageStride, float* gamma, float* beta,
        float* runningMean, float* runningVar, float eps, float* y)
    {
        CheckSizes(batch, channels, spatial);
        ArgumentOutOfRangeException.ThrowIfLessThan(xImageStride, (long)channels * spatial);
        CheckPointer(x, nameof(x), (long)batch * channels * spatial);
        CheckPointer(y, nameof(y), (long)batch * channels * spatial);
        CheckPointer(runningMean, nameof(runningMean), channels);
        CheckPointer(runningVar, nameof(runningVar), channels);
        NormalizeWithRunningStatistics(batch, channels, spatial, x, xImageStride, gamma, beta, runningMean, runningVar, eps, y, relu: true);
    }

    /// <summary>
    /// Channel <paramref name="c"/>'s inference batch norm as y = (x - runningMean[c]) * scale + shift: scale =
    /// gamma[c] / sqrt(runningVar[c] + eps), worked out in double and rounded once; shift = beta[c] (0 where null).
    /// </summary>
    internal static (float Scale, float Shift) InferenceScaleShift(int c, float* gamma, float* beta, float* runningVar, float eps)
    {
        double invStd = 1.0 / Math.Sqrt((double)runningVar[c] + eps);
        return ((float)(gamma == null ? invStd : gamma[c] * invStd), beta == null ? 0f : beta[c]);
    }

    /// <summary>Both inference forwards: x's images <paramref name="xImageStride"/> apart, y contiguous [N, C, spatial].</summary>
    private static void NormalizeWithRunningStatistics(int batch, int channels, int spatial, float* x, long xImageStride, float* gamma, float* beta,
        float* runningMean, float* runningVar, float eps, float* y, bool relu)
    {
        Parallelism.For(0, channels, c =>
        {
            var (scale, shift) = InferenceScaleShift(c, gamma, beta, runningVar, eps);
            for (int n = 0; n < batch; n++)
            {
                float* source = x + n * xImageStride + (long)c * spatial, target = y + ((long)n * channels + c) * spatial;
                if (relu) ChannelElementwise.Apply(new NormalizeReluOp(runningMean[c], scale, shift), source, null, target, spatial);
                else ChannelElementwise.Apply(new NormalizeOp(runningMean[c], scale, shift), source, null, target, spatial);
            }
        }, MinPerThread(batch, spatial));
    }

    /// <summary>
    /// Training-mode backward through the batch statistics. ADDS into every non-null gradient:
    /// gradX += gamma * invStd * (gradY - mean(gradY) - xhat * mean(gradY * xhat)),
    /// gradGamma += sum(gradY * xhat), gradBeta += sum(gradY), with xhat = (x - saveMean) * saveInvStd.
    /// </summary>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="spatial">Elements per channel per item.</param>
    /// <param name="x">The forward input [N, C, spatial].</param>
    /// <param name="gradY">Gradient of the output [N, C, spatial].</param>
    /// <param name="gamma">Scale [C], or null (1).</param>
    /// <param name="saveMean">Batch mean [C] from <see cref="ForwardTraining(int, int, int, float*, float*, float*, float, float, float*, float*, float*, float*, float*)"/>.</param>
    /// <param name="saveInvStd">Batch 1/std [C] from <see cref="ForwardTraining(int, int, int, float*, float*, float*, float, float, float*, float*, float*, float*, float*)"/>.</param>
    /// <param name="gradX">Input gradient [N, C, spatial], accumulated; null to skip.</param>
    /// <param name="gradGamma">Scale gradient [C], accumulated; null to skip.</param>
    /// <param name="gradBeta">Shift gradient [C], accumulated; null to skip.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative.</exception>
    /// <exception cref="ArgumentNullException">x, gradY or a saved statistic is null.</exception>
    public static void BackwardTraining(int batch, int channels, int spatial, float* x, float* gradY, float* gamma,
        float* saveMean, float* saveInvStd, float* gradX, float* gradGamma, float* gradBeta) =>
        BackwardTraining(batch, channels, spatial, x, gradY, gamma, saveMean, saveInvStd, gradX, gradGamma, gradBeta, overwriteGradX: false);

    /// <summary>
    /// As the public overload, or with <paramref name="overwriteGradX"/> writing the input gradient into uninitialised
    /// <paramref name="gradX"/> instead of adding to it. With <paramref name="reluScale"/> (the forward pass's
    /// <c>saveScale</c>) the layer is ReLU(batch norm), and <paramref name="gradY"/> is the gradient of the ReLU's output:
    /// it passes where the batch-norm output, recomputed from x, was positive.
    /// </summary>
    internal static void BackwardTraining(int batch, int channels, int spatial, float* x, float* gradY, float* gamma,
        float* saveMean, float* saveInvStd, float* gradX, float* gradGamma, float* gradBeta, bool overwriteGradX,
        float* reluScale = null, float* beta = null)
    {
        CheckBackward(batch, channels, spatial, x, gradY, saveMean, saveInvStd, nameof(saveMean), nameof(saveInvStd));
        Parallelism.For(0, channels, c =>
        {
            if (reluScale == null)
                BackwardTrainingChannel(default(PassAll), batch, channels, spatial, c, x, gradY, gamma, saveMean, saveInvStd, gradX, gradGamma, gradBeta, overwriteGradX);
            else
                BackwardTrainingChannel(new PositiveNormalized(saveMean[c], reluScale[c], beta == null ? 0f : beta[c]),
                    batch, channels, spatial, c, x, gradY, gamma, saveMean, saveInvStd, gradX, gradGamma, gradBeta, overwriteGradX);
        }, MinPerThread(batch, spatial));
    }

    private static void BackwardTrainingChannel<TMask>(TMask mask, int batch, int channels, int spatial, int c, float* x, float* gradY,
        float* gamma, float* saveMean, float* saveInvStd, float* gradX, float* gradGamma, float* gradBeta, bool overwriteGradX)
        where TMask : struct, IGradientMask
    {
        long count = (long)batch * spatial;
        double mean = saveMean[c], invStd = saveInvStd[c];
        var (sumGrad, dot) = WideningSum.SumAndDotOverBatch(batch, channels, spatial, c, x, gradY, mean, mask);
        if (gradGamma != null) gradGamma[c] += (float)(dot * invStd);
        if (gradBeta != null) gradBeta[c] += (float)sumGrad;
        if (gradX == null || count == 0) return;
        double w = gamma == null ? 1.0 : gamma[c];
        float gradMean = (float)(sumGrad / count), projection = (float)(dot * invStd * invStd / count), gradScale = (float)(invStd * w);
        if (overwriteGradX)
            ApplyOverBatch(new MaskedTrainingGradOp<TMask, Overwrite>(mask, (float)mean, gradMean, projection, gradScale), batch, channels, spatial, c, x, gradY, gradX);
        else
            ApplyOverBatch(new MaskedTrainingGradOp<TMask, Accumulate>(mask, (float)mean, gradMean, projection, gradScale), batch, channels, spatial, c, x, gradY, gradX);
    }

    /// <summary>
    /// Inference-mode backward (running statistics are constants). ADDS into every non-null gradient:
    /// gradX += gradY * gamma * invStd, gradGamma += sum(gradY * xhat), gradBeta += sum(gradY),
    /// with invStd = 1 / sqrt(runningVar + eps) and xhat = (x - runningMean) * invStd.
    /// </summary>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="spatial">Elements per channel per item.</param>
    /// <param name="x">The forward input [N, C, spatial].</param>
    /// <param name="gradY">Gradient of the output [N, C, spatial].</param>
    /// <param name="gamma">Scale [C], or null (1).</param>
    /// <param name="runningMean">Running mean [C].</param>
    /// <param name="runningVar">Running variance [C].</param>
    /// <param name="eps">Added to the variance before the square root.</param>
    /// <param name="gradX">Input gradient, accumulated; null to skip.</param>
    /// <param name="gradGamma">Scale gradient [C], accumulated; null to skip.</param>
    /// <param name="gradBeta">Shift gradient [C], accumulated; null to skip.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative.</exception>
    /// <exception cref="ArgumentNullException">x, gradY or a running statistic is null.</exception>
    public static void BackwardInference(int batch, int channels, int spatial, float* x, float* gradY, float* gamma,
        float* runningMean, float* runningVar, float eps, float* gradX, float* gradGamma, float* gradBeta)
    {
        CheckBackward(batch, channels, spatial, x, gradY, runningMean, runningVar, nameof(runningMean), nameof(runningVar));
        Parallelism.For(0, channels, c =>
        {
            double invStd = 1.0 / Math.Sqrt((double)runningVar[c] + eps);
            if (gradGamma != null || gradBeta != null)
            {
                double sumGrad = WideningSum.SumOverBatch<PlainTerm>(batch, channels, spatial, c, gradY, gradY, 0, 0);
                double dot = gradGamma == null ? 0 :
                    WideningSum.SumOverBatch<ProductTerm>(batch, channels, spatial, c, x, gradY, runningMean[c], 0);
                if (gradGamma != null) gradGamma[c] += (float)(dot * invStd);
                if (gradBeta != null) gradBeta[c] += (float)sumGrad;
            }
            if (gradX == null) return;
            double w = gamma == null ? 1.0 : gamma[c];
            ApplyOverBatch(new InferenceGradOp((float)(w * invStd)), batch, channels, spatial, c, gradY, gradY, gradX);
        }, MinPerThread(batch, spatial));
    }

    /// <summary>
    /// Folds inference-mode batch norm into a per-channel affine map y = x * scale + shift:
    /// scale = gamma / sqrt(runningVar + eps), shift = beta - runningMean * scale (used to fold BN into a convolution).
    /// </summary>
    /// <param name="channels">C.</param>
    /// <param name="gamma">Scale [C], or null (1).</param>
    /// <param name="beta">Shift [C], or null (0).</param>
    /// <param name="runningMean">Running mean [C].</param>
    /// <param name="runningVar">Running variance [C].</param>
    /// <param name="eps">Added to the variance before the square root.</param>
    /// <param name="scale">Output [C].</param>
    /// <param name="shift">Output [C].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> is negative.</exception>
    /// <exception cref="ArgumentNullException">A running statistic or an output is null.</exception>
    public static void FoldToScaleShift(int channels, float* gamma, float* beta, float* runningMean, float* runningVar,
        float eps, float* scale, float* shift)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        CheckPointer(runningMean, nameof(runningMean), channels);
        CheckPointer(runningVar, nameof(runningVar), channels);
        CheckPointer(scale, nameof(scale), channels);
        CheckPointer(shift, nameof(shift), channels);
        for (int c = 0; c < channels; c++)
        {
            double s = (gamma == null ? 1.0 : gamma[c]) / Math.Sqrt((double)runningVar[c] + eps);
            scale[c] = (float)s;
            shift[c] = (float)((beta == null ? 0.0 : beta[c]) - runningMean[c] * s);
        }
    }

    private static void ApplyOverBatch<TOp>(in TOp op, int batch, int channels, int spatial, int channel,
        float* x, float* g, float* dst) where TOp : struct, IChannelOp
    {
        long stride = (long)channels * spatial;
        long offset = (long)channel * spatial;
        for (int n = 0; n < batch; n++, offset += stride)
            ChannelElementwise.Apply(op, x + offset, g == null ? null : g + offset, dst + offset, spatial);
    }

    private static int MinPerThread(int batch, int spatial) =>
        (int)Math.Clamp(MinElementsPerThread / Math.Max(1L, (long)batch * spatial), 1, int.MaxValue);

    internal static void CheckSizes(int batch, int channels, int spatial)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(spatial);
        if ((long)batch * channels * spatial > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(batch), $"Batch norm input of {batch} x {channels} x {spatial} elements exceeds {int.MaxValue}.");
    }

    /// <summary>Throws for a null pointer unless it addresses no elements (an empty tensor may have none).</summary>
    internal static void CheckPointer(float* p, string name, long elements)
    {
        if (p == null && elements > 0) throw new ArgumentNullException(name);
    }

    internal static void CheckBackward(int batch, int channels, int spatial, float* x, float* gradY,
        float* mean, float* var, string meanName, string varName)
    {
        CheckSizes(batch, channels, spatial);
        long elements = (long)batch * channels * spatial;
        CheckPointer(x, nameof(x), elements);
        CheckPointer(gradY, nameof(gradY), elements);
        CheckPointer(mean, meanName, channels);
        CheckPointer(var, varName, channels);
    }
}

namespace TransferKit.Kernels.Normalization;

/// <summary>
/// The reference twin of <see cref="BatchNormKernel"/>: plain single-threaded loops in double precision, written
/// from the textbook formulas so that it can serve as the test oracle. Same contracts and layout.
/// </summary>
public static unsafe class NaiveBatchNorm
{
    /// <summary>Training-mode forward; see <see cref="BatchNormKernel.ForwardTraining(int, int, int, float*, float*, float*, float, float, float*, float*, float*, float*, float*)"/>.</summary>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="spatial">Elements per channel per item.</param>
    /// <param name="x">Input [N, C, spatial].</param>
    /// <param name="gamma">Scale [C] or null.</param>
    /// <param name="beta">Shift [C] or null.</param>
    /// <param name="eps">Variance epsilon.</param>
    /// <param name="momentum">Running-statistics momentum.</param>
    /// <param name="runningMean">Running mean [C] or null.</param>
    /// <param name="runningVar">Running variance [C] or null.</param>
    /// <param name="y">Output [N, C, spatial].</param>
    /// <param name="saveMean">Output batch mean [C] or null.</param>
    /// <param name="saveInvStd">Output batch 1/std [C] or null.</param>
    /// <exception cref="ArgumentException">batch * spatial == 1.</exception>
    public static void ForwardTraining(int batch, int channels, int spatial, float* x, float* gamma, float* beta,
        float eps, float momentum, float* runningMean, float* runningVar, float* y, float* saveMean, float* saveInvStd)
    {
        BatchNormKernel.CheckSizes(batch, channels, spatial);
        long n = (long)batch * spatial;
        if (n == 1) throw new ArgumentException("Batch norm in training mode needs more than 1 value per channel.", nameof(batch));
        for (int c = 0; c < channels; c++)
        {
            if (n == 0)
            {
                if (saveMean != null) saveMean[c] = 0;
                if (saveInvStd != null) saveInvStd[c] = 0;
                continue;
            }
            double sum = 0;
            for (int b = 0; b < batch; b++)
                for (int s = 0; s < spatial; s++) sum += x[Index(b, c, s, channels, spatial)];
            double mean = sum / n;
            double squares = 0;
            for (int b = 0; b < batch; b++)
                for (int s = 0; s < spatial; s++)
                {
                    double d = x[Index(b, c, s, channels, spatial)] - mean;
                    squares += d * d;
                }
            double biased = squares / n, unbiased = squares / (n - 1);
            double invStd = 1.0 / Math.Sqrt(biased + eps);
            double g = gamma == null ? 1 : gamma[c], bt = beta == null ? 0 : beta[c];
            for (int b = 0; b < batch; b++)
                for (int s = 0; s < spatial; s++)
                {
                    long i = Index(b, c, s, channels, spatial);
                    y[i] = (float)((x[i] - mean) * invStd * g + bt);
                }
            if (saveMean != null) saveMean[c] = (float)mean;
            if (saveInvStd != null) saveInvStd[c] = (float)invStd;
            if (runningMean != null) runningMean[c] = (float)((1 - (double)momentum) * runningMean[c] + momentum * mean);
            if (runningVar != null) runningVar[c] = (float)((1 - (double)momentum) * runningVar[c] + momentum * unbiased);
        }
    }

    /// <summary>Inference-mode forward; see <see cref="BatchNormKernel.ForwardInference"/>.</summary>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="spatial">Elements per channel per item.</param>
    /// <param name="x">Input [N, C, spatial].</param>
    /// <param name="gamma">Scale [C] or null.</param>
    /// <param name="beta">Shift [C] or null.</param>
    /// <param name="runningMean">Running mean [C].</param>
    /// <param name="runningVar">Running variance [C].</param>
    /// <param name="eps">Variance epsilon.</param>
    /// <param name="y">Output [N, C, spatial].</param>
    public static void ForwardInference(int batch, int channels, int spatial, float* x, float* gamma, float* beta,
        float* runningMean, float* runningVar, float eps, float* y)
    {
        BatchNormKernel.CheckSizes(batch, channels, spatial);
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++)
                for (int s = 0; s < spatial; s++)
                {
                    long i = Index(b, c, s, channels, spatial);
                    double xhat = (x[i] - (double)runningMean[c]) / Math.Sqrt((double)runningVar[c] + eps);
                    y[i] = (float)(xhat * (gamma == null ? 1 : gamma[c]) + (beta == null ? 0 : beta[c]));
                }
    }

    /// <summary>Training-mode backward (ADDS); see <see cref="BatchNormKernel.BackwardTraining(int, int, int, float*, float*, float*, float*, float*, float*, float*, float*)"/>.</summary>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="spatial">Elements per channel per item.</param>
    /// <param name="x">Forward input [N, C, spatial].</param>
    /// <param name="gradY">Output gradient [N, C, spatial].</param>
    /// <param name="gamma">Scale [C] or null.</param>
    /// <param name="saveMean">Saved batch mean [C].</param>
    /// <param name="saveInvStd">Saved batch 1/std [C].</param>
    /// <param name="gradX">Input gradient, accumulated, or null.</param>
    /// <param name="gradGamma">Scale gradient, accumulated, or null.</param>
    /// <param name="gradBeta">Shift gradient, accumulated, or null.</param>
    public static void BackwardTraining(int batch, int channels, int spatial, float* x, float* gradY, float* gamma,
        float* saveMean, float* saveInvStd, float* gradX, float* gradGamma, float* gradBeta)
    {
        BatchNormKernel.CheckSizes(batch, channels, spatial);
        long n = (long)batch * spatial;
        for (int c = 0; c < channels; c++)
        {
            double mean = saveMean[c], invStd = saveInvStd[c], g = gamma == null ? 1 : gamma[c];
            double sumDy = 0, sumDyXhat = 0;
            for (int b = 0; b < batch; b++)
                for (int s = 0; s < spatial; s++)
                {
                    long i = Index(b, c, s, channels, spatial);
                    sumDy += gradY[i];
                    sumDyXhat += gradY[i] * (x[i] - mean) * invStd;
                }
            if (gradGamma != null) gradGamma[c] += (float)sumDyXhat;
            if (gradBeta != null) gradBeta[c] += (float)sumDy;
            if (gradX == null) continue;
            // dL/dx = gamma * invStd / n * (n * dy - sum(dy) - xhat * sum(dy * xhat))
            for (int b = 0; b < batch; b++)
                for (int s = 0; s < spatial; s++)
                {
                    long i = Index(b, c, s, channels, spatial);
                    double xhat = (x[i] - mean) * invStd;
                    gradX[i] += (float)(g * invStd / n * (n * (double)gradY[i] - sumDy - xhat * sumDyXhat));
                }
        }
    }

    /// <summary>Inference-mode backward (ADDS); see <see cref="BatchNormKernel.BackwardInference"/>.</summary>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="spatial">Elements per channel per item.</param>
    /// <param name="x">Forward input [N, C, spatial].</param>
    /// <param name="gradY">Output gradient [N, C, spatial].</param>
    /// <param name="gamma">Scale [C] or null.</param>
    /// <param name="runningMean">Running mean [C].</param>
    /// <param name="runningVar">Running variance [C].</param>
    /// <param name="eps">Variance epsilon.</param>
    /// <param name="gradX">Input gradient, accumulated, or null.</param>
    /// <param name="gradGamma">Scale gradient, accumulated, or null.</param>
    /// <param name="gradBeta">Shift gradient, accumulated, or null.</param>
    public static void BackwardInference(int batch, int channels, int spatial, float* x, float* gradY, float* gamma,
        float* runningMean, float* runningVar, float eps, float* gradX, float* gradGamma, float* gradBeta)
    {
        BatchNormKernel.CheckSizes(batch, channels, spatial);
        for (int c = 0; c < channels; c++)
        {
            double invStd = 1.0 / Math.Sqrt((double)runningVar[c] + eps), g = gamma == null ? 1 : gamma[c];
            double sumDy = 0, sumDyXhat = 0;
            for (int b = 0; b < batch; b++)
                for (int s = 0; s < spatial; s++)
                {
                    long i = Index(b, c, s, channels, spatial);
                    sumDy += gradY[i];
                    sumDyXhat += gradY[i] * (x[i] - (double)runningMean[c]) * invStd;
                    if (gradX != null) gradX[i] += (float)(gradY[i] * g * invStd);
                }
            if (gradGamma != null) gradGamma[c] += (float)sumDyXhat;
            if (gradBeta != null) gradBeta[c] += (float)sumDy;
        }
    }

    private static long Index(int b, int c, int s, int channels, int spatial) => ((long)b * channels + c) * spatial + s;
}

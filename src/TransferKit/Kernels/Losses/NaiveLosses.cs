namespace TransferKit.Kernels.Losses;

/// <summary>
/// Reference twins of the softmax and loss kernels: plain loops in double, written from the definitions rather than
/// the fast kernels' rearrangements. They are the test oracle; the double-span overloads also serve the
/// finite-difference gradient checks. Argument checks match the fast kernels.
/// </summary>
public static unsafe class NaiveLosses
{
    /// <summary>Twin of <see cref="SoftmaxKernel.Forward"/>.</summary>
    public static void Softmax(int rows, int cols, float* x, float* y)
    {
        var xd = ToDouble(x, (long)rows * cols);
        var yd = new double[xd.Length];
        for (int r = 0; r < rows; r++)
        {
            LogSoftmax(xd.AsSpan(r * cols, cols), yd.AsSpan(r * cols, cols));
            for (int c = 0; c < cols; c++) yd[r * cols + c] = Math.Exp(yd[r * cols + c]);
        }
        Store(yd, y);
    }

    /// <summary>Twin of <see cref="SoftmaxKernel.LogForward"/>.</summary>
    public static void LogSoftmax(int rows, int cols, float* x, float* y)
    {
        var xd = ToDouble(x, (long)rows * cols);
        var yd = new double[xd.Length];
        for (int r = 0; r < rows; r++) LogSoftmax(xd.AsSpan(r * cols, cols), yd.AsSpan(r * cols, cols));
        Store(yd, y);
    }

    /// <summary>Twin of <see cref="SoftmaxKernel.LogBackward"/> (adds into <paramref name="gradX"/>).</summary>
    public static void LogSoftmaxBackward(int rows, int cols, float* y, float* gradY, float* gradX)
    {
        long n = (long)rows * cols;
        var grad = new double[n];
        LogSoftmaxGradient(rows, cols, ToDouble(y, n), ToDouble(gradY, n), grad);
        for (long i = 0; i < n; i++) gradX[i] = (float)(gradX[i] + grad[i]);
    }

    /// <summary>Twin of <see cref="CrossEntropyKernel.Forward"/>.</summary>
    public static float CrossEntropyForward(int batch, int classes, float* logits, int* labels, float* classWeights, float labelSmoothing, float* probabilities)
    {
        LossArguments.ValidateCrossEntropy(batch, classes, labels, labelSmoothing);
        long n = (long)batch * classes;
        var p = new double[n];
        double loss = CrossEntropy(batch, classes, ToDouble(logits, n), new ReadOnlySpan<int>(labels, batch),
            classWeights == null ? null : ToDouble(classWeights, classes), labelSmoothing, p);
        Store(p, probabilities);
        return (float)loss;
    }

    /// <summary>Twin of <see cref="CrossEntropyKernel.Backward"/> (adds into <paramref name="gradLogits"/>).</summary>
    public static void CrossEntropyBackward(int batch, int classes, float* probabilities, int* labels, float* classWeights, float labelSmoothing, float gradLoss, float* gradLogits)
    {
        LossArguments.ValidateCrossEntropy(batch, classes, labels, labelSmoothing);
        long n = (long)batch * classes;
        var grad = new double[n];
        CrossEntropyGradient(batch, classes, ToDouble(probabilities, n), new ReadOnlySpan<int>(labels, batch),
            classWeights == null ? null : ToDouble(classWeights, classes), labelSmoothing, gradLoss, grad);
        for (long i = 0; i < n; i++) gradLogits[i] = (float)(gradLogits[i] + grad[i]);
    }

    /// <summary>Twin of <see cref="BinaryCrossEntropyWithLogitsKernel.Forward"/>.</summary>
    public static float BinaryCrossEntropyWithLogitsForward(int length, float* logits, float* targets, float* posWeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return (float)BinaryCrossEntropyWithLogits(ToDouble(logits, length), ToDouble(targets, length), posWeight == null ? 1 : *posWeight);
    }

    /// <summary>Twin of <see cref="BinaryCrossEntropyWithLogitsKernel.Backward"/> (adds into <paramref name="gradLogits"/>).</summary>
    public static void BinaryCrossEntropyWithLogitsBackward(int length, float* logits, float* targets, float* posWeight, float gradLoss, float* gradLogits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var grad = new double[length];
        BinaryCrossEntropyWithLogitsGradient(ToDouble(logits, length), ToDouble(targets, length), posWeight == null ? 1 : *posWeight, gradLoss, grad);
        for (int i = 0; i < length; i++) gradLogits[i] = (float)(gradLogits[i] + grad[i]);
    }

    /// <summary>log softmax of one row: lp[c] = x[c] - m - log(sum_k exp(x[k] - m)) with m the row maximum.</summary>
    internal static void LogSoftmax(ReadOnlySpan<double> x, Span<double> y)
    {
        if (x.Length == 0) return;
        double max = double.NegativeInfinity;
        foreach (double v in x) max = Math.Max(max, v);
        double sum = 0;
        foreach (double v in x) sum += Math.Exp(v - max);
        double logSum = Math.Log(sum);
        for (int c = 0; c < x.Length; c++) y[c] = x[c] - max - logSum;
    }

    /// <summary>d(sum gradY * lp)/dx for each row: gradY[c] - exp(lp[c]) * sum_k gradY[k].</summary>
    internal static void LogSoftmaxGradient(int rows, int cols, ReadOnlySpan<double> y, ReadOnlySpan<double> gradY, Span<double> grad)
    {
        for (int r = 0; r < rows; r++)
        {
            double sum = 0;
            for (int c = 0; c < cols; c++) sum += gradY[r * cols + c];
            for (int c = 0; c < cols; c++) grad[r * cols + c] = gradY[r * cols + c] - Math.Exp(y[r * cols + c]) * sum;
        }
    }

    /// <summary>
    /// PyTorch's weighted, label-smoothed mean cross entropy, term by term: (1 - ls) times the weighted NLL mean plus
    /// ls / C times the weighted sum of -lp over all classes, both divided by W = sum_i w[y_i].
    /// </summary>
    internal static double CrossEntropy(int batch, int classes, ReadOnlySpan<double> logits, ReadOnlySpan<int> labels,
        double[]? weights, double labelSmoothing, Span<double> probabilities)
    {
        var lp = new double[classes];
        double nll = 0, smooth = 0, weightSum = 0;
        for (int i = 0; i < batch; i++)
        {
            LogSoftmax(logits.Slice(i * classes, classes), lp);
            for (int c = 0; c < classes; c++) probabilities[i * classes + c] = Math.Exp(lp[c]);
            double wy = weights?[labels[i]] ?? 1;
            weightSum += wy;
            nll += wy * -lp[labels[i]];
            for (int c = 0; c < classes; c++) smooth += (weights?[c] ?? 1) * -lp[c];
        }
        return (1 - labelSmoothing) * nll / weightSum + labelSmoothing / classes * smooth / weightSum;
    }

    /// <summary>
    /// Gradient of <see cref="CrossEntropy"/> times gradLoss. Row i's loss is sum_k a[k] * (-lp[k]) with
    /// a[k] = ((1 - ls) * w[y_i] * [k == y_i] + ls / C * w[k]) / W, and d(-lp[k])/dz[c] = p[c] - [k == c].
    /// </summary>
    internal static void CrossEntropyGradient(int batch, int classes, ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels,
        double[]? weights, double labelSmoothing, double gradLoss, Span<double> grad)
    {
        double weightSum = 0;
        for (int i = 0; i < batch; i++) weightSum += weights?[labels[i]] ?? 1;
        for (int i = 0; i < batch; i++)
        {
            for (int c = 0; c < classes; c++)
            {
                double g = 0;
                for (int k = 0; k < classes; k++)
                {
                    double a = (labelSmoothing / classes * (weights?[k] ?? 1)
                        + (k == labels[i] ? (1 - labelSmoothing) * (weights?[k] ?? 1) : 0)) / weightSum;
                    g += a * (probabilities[i * classes + c] - (k == c ? 1 : 0));
                }
                grad[i * classes + c] = gradLoss * g;
            }
        }
    }

    /// <summary>Mean of pw * t * softplus(-x) + (1 - t) * softplus(x), i.e. -[pw t log s(x) + (1 - t) log(1 - s(x))].</summary>
    internal static double BinaryCrossEntropyWithLogits(ReadOnlySpan<double> logits, ReadOnlySpan<double> targets, double posWeight)
    {
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
            sum += posWeight * targets[i] * Softplus(-logits[i]) + (1 - targets[i]) * Softplus(logits[i]);
        return sum / logits.Length;
    }

    /// <summary>Gradient of <see cref="BinaryCrossEntropyWithLogits"/> times gradLoss: (-pw t (1 - s(x)) + (1 - t) s(x)) / n.</summary>
    internal static void BinaryCrossEntropyWithLogitsGradient(ReadOnlySpan<double> logits, ReadOnlySpan<double> targets, double posWeight, double gradLoss, Span<double> grad)
    {
        for (int i = 0; i < logits.Length; i++)
        {
            double s = 1 / (1 + Math.Exp(-logits[i]));
            grad[i] = gradLoss * (-posWeight * targets[i] * (1 - s) + (1 - targets[i]) * s) / logits.Length;
        }
    }

    private static double Softplus(double z) => Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));

    private static double[] ToDouble(float* x, long n)
    {
        var d = new double[n];
        for (long i = 0; i < n; i++) d[i] = x[i];
        return d;
    }

    private static void Store(double[] source, float* target)
    {
        for (long i = 0; i < source.Length; i++) target[i] = (float)source[i];
    }
}

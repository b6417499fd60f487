namespace TransferKit.Kernels.Losses;

/// <summary>Argument checks shared by the cross-entropy kernel and its naive twin, so both fail the same way.</summary>
internal static unsafe class LossArguments
{
    /// <summary>Checks sizes, the smoothing factor and every label before any output is written.</summary>
    public static void ValidateCrossEntropy(int batch, int classes, int* labels, float labelSmoothing)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        if (!(labelSmoothing >= 0f && labelSmoothing < 1f))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing must be in [0, 1).");
        for (int i = 0; i < batch; i++)
        {
            int label = labels[i];
            if ((uint)label >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"Label {label} of row {i} is outside the class range [0, {classes}).");
        }
    }

    /// <summary>
    /// The mean's denominator: the summed weights of the target classes (PyTorch's weighted mean), or the batch
    /// size without weights. Summed in double, in row order.
    /// </summary>
    public static double TargetWeightSum(int batch, int* labels, float* classWeights)
    {
        if (classWeights == null) return batch;
        double sum = 0;
        for (int i = 0; i < batch; i++) sum += classWeights[labels[i]];
        return sum;
    }

    /// <summary>Sum of all class weights (the smoothing term's weight mass); the class count without weights.</summary>
    public static double ClassWeightSum(int classes, float* classWeights)
    {
        if (classWeights == null) return classes;
        double sum = 0;
        for (int c = 0; c < classes; c++) sum += classWeights[c];
        return sum;
    }
}

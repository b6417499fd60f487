using TransferKit.Autograd;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Training;

/// <summary>Arg-max accuracy and evaluation of a classifier over a labelled set.</summary>
public static class ClassificationMetrics
{
    /// <summary>Number of rows of <paramref name="logits"/> [N, classes] whose arg-max equals the label.</summary>
    public static int CountCorrect(Tensor logits, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        int n = logits.Shape[0], classes = logits.Shape[1];
        var data = logits.ReadOnlySpan;
        int correct = 0;
        for (int i = 0; i < n; i++)
        {
            var row = data.Slice(i * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
            if (best == labels[i]) correct++;
        }
        return correct;
    }

    /// <summary>Mean cross-entropy and accuracy of <paramref name="model"/> in evaluation mode, batch by batch, recording nothing.</summary>
    /// <param name="model">The classifier; it is left in evaluation mode.</param>
    /// <param name="images">[N, C, H, W].</param>
    /// <param name="labels">N labels.</param>
    /// <param name="batchSize">Images per forward pass.</param>
    public static StepResult Evaluate(Module model, Tensor images, int[] labels, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        model.Eval();
        int n = images.Shape[0], correct = 0;
        double lossSum = 0;
        using var noGrad = GradMode.NoGrad();
        for (int start = 0; start < n; start += batchSize)
        {
            int count = Math.Min(batchSize, n - start);
            using var scope = TensorScope.Begin();
            var batch = images.SliceRows(start, count);
            var batchLabels = labels.AsSpan(start, count).ToArray();
            var logits = model.Forward(batch);
            lossSum += Ops.CrossEntropy(logits, batchLabels).Item() * count;
            correct += CountCorrect(logits, batchLabels);
        }
        return new StepResult(n == 0 ? 0 : (float)(lossSum / n), correct, n);
    }
}

using System.Runtime.InteropServices;
using TransferKit.Kernels;

namespace TransferKit.Evaluation;

/// <content>Turning the accumulated counts and scores into a report.</content>
public sealed partial class ClassificationEvaluator
{
    /// <summary>
    /// Computes every metric over the samples added so far. The evaluator is left as it was, so more batches can follow.
    /// </summary>
    /// <exception cref="InvalidOperationException">No sample was added.</exception>
    public ClassificationReport ToReport()
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("ToReport: no samples were added, so no metric is defined.");
        }

        int classes = ClassCount;
        var confusion = new long[classes][];
        long correct = 0;
        for (int t = 0; t < classes; t++)
        {
            confusion[t] = _confusion.AsSpan(t * classes, classes).ToArray();
            correct += confusion[t][t];
        }

        double?[] perClassAuc = new double?[classes];
        double? rocAuc = null;
        RocCurve? curve = null;
        if (_scores is not null)
        {
            if (classes == 2)
            {
                (rocAuc, curve) = BinaryRoc();
            }
            else
            {
                perClassAuc = OneVsRestAuc();
                rocAuc = perClassAuc.All(a => a.HasValue) ? perClassAuc.Average(a => a!.Value) : null;
            }
        }

        var rows = new ClassMetrics[classes];
        for (int c = 0; c < classes; c++)
        {
            long tp = confusion[c][c], support = 0, predicted = 0;
            for (int j = 0; j < classes; j++)
            {
                support += confusion[c][j];
                predicted += confusion[j][c];
            }

            long fp = predicted - tp, fn = support - tp;
            rows[c] = new ClassMetrics(
                _classNames[c], Ratio(tp, predicted), Ratio(tp, support), Ratio(2 * tp, (2 * tp) + fp + fn), support, predicted, perClassAuc[c]);
        }

        var topK = new TopKAccuracy[_topK.Length];
        for (int k = 0; k < topK.Length; k++) topK[k] = new TopKAccuracy(_topK[k], (double)_topKHits[k] / _count);

        return new ClassificationReport
        {
            ClassNames = [.. _classNames],
            SampleCount = _count,
            Accuracy = (double)correct / _count,
            TopK = topK,
            LogLoss = _logLossSum / _count,
            LogLossEpsilon = Options.LogLossEpsilon,
            Classes = rows,
            MacroPrecision = rows.Average(r => r.Precision),
            MacroRecall = rows.Average(r => r.Recall),
            MacroF1 = rows.Average(r => r.F1),
            WeightedPrecision = rows.Sum(r => r.Precision * r.Support) / _count,
            WeightedRecall = rows.Sum(r => r.Recall * r.Support) / _count,
            WeightedF1 = rows.Sum(r => r.F1 * r.Support) / _count,
            RocAuc = rocAuc,
            RocCurve = curve,
            ConfusionMatrix = confusion,
        };
    }

    // A ratio with a zero denominator is 0 (scikit-learn's zero_division=0).
    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private (double? Auc, RocCurve? Curve) BinaryRoc()
    {
        var labels = CollectionsMarshal.AsSpan(_scoreLabels);
        var isPositive = new bool[labels.Length];
        long positives = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            isPositive[i] = labels[i] == 1;
            if (isPositive[i]) positives++;
        }

        if (positives == 0 || positives == labels.Length)
        {
            return (null, null);
        }

        var steps = RocAnalysis.SweepValidated(CollectionsMarshal.AsSpan(_scores), isPositive);
        return (RocAnalysis.Area(steps), RocAnalysis.ToCurve(steps, Options.DropIntermediateRocPoints));
    }

    private double?[] OneVsRestAuc()
    {
        int classes = ClassCount, n = _scoreLabels!.Count;
        List<float> scores = _scores!;
        List<int> labels = _scoreLabels;
        var result = new double?[classes];

        // Classes are independent sorts; spread them over the kernel threads.
        Parallelism.For(0, classes, c =>
        {
            var column = new float[n];
            var isPositive = new bool[n];
            long positives = 0;
            for (int i = 0; i < n; i++)
            {
                column[i] = scores[(i * classes) + c];
                isPositive[i] = labels[i] == c;
                if (isPositive[i]) positives++;
            }

            if (positives > 0 && positives < n)
            {
                result[c] = RocAnalysis.Area(RocAnalysis.SweepValidated(column, isPositive));
            }
        });
        return result;
    }
}

using TransferKit.Api;
using TransferKit.Reporting;

namespace TransferKit.Tests.Reporting;

public sealed class ConfidentlyWrongCollectorTests
{
    /// <summary>The obvious way: score every sample, keep the wrong ones, sort, take the first few.</summary>
    private static List<(int Index, int TrueLabel, int PredictedLabel, float Confidence)> Naive(float[] p, int[] labels, int classes, int capacity, bool sigmoid)
    {
        var all = new List<(int, int, int, float)>();
        for (int i = 0; i < labels.Length; i++)
        {
            int predicted;
            float confidence;
            if (sigmoid)
            {
                predicted = p[i] > 0.5f ? 1 : 0;
                confidence = predicted == 1 ? p[i] : 1 - p[i];
            }
            else
            {
                var row = p.AsSpan(i * classes, classes).ToArray();
                confidence = row.Max();
                predicted = Array.IndexOf(row, confidence);
            }
            if (predicted != labels[i]) all.Add((i, labels[i], predicted, confidence));
        }
        return all.OrderByDescending(t => t.Item4).ThenBy(t => t.Item1).Take(capacity).ToList();
    }

    [Theory]
    [InlineData(2, 0, false)]
    [InlineData(3, 1, false)]
    [InlineData(5, 16, false)]
    [InlineData(10, 40, false)]
    [InlineData(2, 16, true)]
    [InlineData(2, 3, true)]
    public void KeepsWhatSortingEverythingWouldKeepWhateverTheBatching(int classes, int capacity, bool sigmoid)
    {
        var random = new Random((classes * 31) + capacity);
        const int N = 300;
        int width = sigmoid ? 1 : classes;
        var p = new float[N * width];
        var labels = new int[N];
        for (int i = 0; i < N; i++)
        {
            labels[i] = random.Next(classes);
            // Coarse values make exact ties, which must go to the lower index.
            if (sigmoid) p[i] = random.Next(0, 11) / 10f;
            else
            {
                float sum = 0;
                for (int c = 0; c < classes; c++) sum += p[(i * classes) + c] = random.Next(1, 6);
                for (int c = 0; c < classes; c++) p[(i * classes) + c] /= sum;
            }
        }
        var expected = Naive(p, labels, classes, capacity, sigmoid);
        foreach (int batch in (int[])[1, 7, N])
        {
            var collector = new ConfidentlyWrongCollector(classes, capacity);
            for (int start = 0; start < N; start += batch)
            {
                int n = Math.Min(batch, N - start);
                collector.Add(p.AsSpan(start * width, n * width), labels.AsSpan(start, n), Enumerable.Range(start, n).ToArray(), sigmoid);
            }
            Assert.Equal(expected, collector.Result);
        }
    }

    [Fact]
    public void MismatchedLengthsAreRejected()
    {
        var collector = new ConfidentlyWrongCollector(3);
        Assert.Throws<ArgumentException>(() => collector.Add(new float[5], new int[2], new int[2], sigmoid: false));
        Assert.Throws<ArgumentException>(() => collector.Add(new float[6], new int[2], new int[1], sigmoid: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfidentlyWrongCollector(1));
    }
}

using System.Diagnostics;

namespace TransferKit.Api;

public sealed partial class ImageClassifierTrainer
{
    /// <summary>Running sums of one epoch.</summary>
    private sealed class EpochTotals
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private double _lossSum;
        private int _correct;
        private int _count;

        public void Add(double loss, int correct, int count)
        {
            _lossSum += loss * count;
            _correct += correct;
            _count += count;
        }

        public double ImagesPerSecond => _count / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);

        public (double Loss, double Accuracy, int Count) Result =>
            _count == 0 ? (double.NaN, 0, 0) : (_lossSum / _count, (double)_correct / _count, _count);
    }
}

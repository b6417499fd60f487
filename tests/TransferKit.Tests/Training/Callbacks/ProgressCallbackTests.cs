using TransferKit.Training.Callbacks;

namespace TransferKit.Tests.Training.Callbacks;

public class ProgressCallbackTests
{
    /// <summary>Reports synchronously (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class ListProgress : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = [];
        public void Report(TrainingProgress value) => Reports.Add(value);
    }

    [Fact]
    public void ForwardsEveryBatchAndNothingElse()
    {
        var sink = new ListProgress();
        ITrainingCallback callback = new ProgressCallback(sink);
        var p0 = new TrainingProgress(TrainingPhase.Training, 0, 3, 0, 2, 100, 0.9, 0.01);
        var p1 = p0 with { Phase = TrainingPhase.Validation, Batch = 1, LearningRate = null };
        callback.OnTrainBegin(new TrainingStart(3, 2, 64, null));
        callback.OnBatchEnd(p0);
        callback.OnBatchEnd(p1);
        callback.OnEpochEnd(new EpochResult(0, 0.9, 0.5, null, null, 0.01, TimeSpan.Zero, 100));
        Assert.Equal([p0, p1], sink.Reports);
    }

    [Fact]
    public void FractionCountsTheFinishedBatch()
    {
        var p = new TrainingProgress(TrainingPhase.CachingFeatures, 0, 1, 3, 8, 50, null, null);
        Assert.Equal(0.5, p.Fraction);
    }

    [Fact]
    public void NullProgressIsRejected() => Assert.Throws<ArgumentNullException>(() => new ProgressCallback(null!));
}

using TransferKit.Training.Callbacks;
using TransferKit.Training.EarlyStopping;

namespace TransferKit.Tests.Training.EarlyStopping;

/// <summary>Sequences whose decisions were worked out by hand from Keras' <c>EarlyStopping.on_epoch_end</c>.</summary>
public class EarlyStoppingTrackerTests
{
    /// <summary>Feeds <paramref name="values"/> as epochs 0, 1, ... and returns the decisions as letters: I(mproved), W(ait), S(top).</summary>
    private static string Run(EarlyStoppingTracker tracker, params double[] values)
    {
        var letters = new char[values.Length];
        for (int e = 0; e < values.Length; e++)
            letters[e] = tracker.Observe(e, values[e]) switch
            {
                EarlyStoppingDecision.Improved => 'I',
                EarlyStoppingDecision.Wait => 'W',
                _ => 'S',
            };
        return new string(letters);
    }

    private static EarlyStoppingTracker Tracker(MonitoredMetric metric, int patience, double minDelta = 0) =>
        new(new EarlyStoppingOptions { Metric = metric, Patience = patience, MinDelta = minDelta });

    [Fact]
    public void LossStopsAfterPatienceEpochsWithoutImprovement()
    {
        var t = Tracker(MonitoredMetric.ValidationLoss, 2);
        Assert.Equal("IIWS", Run(t, 1.0, 0.9, 0.95, 0.92));
        Assert.Equal(1, t.BestEpoch);
        Assert.Equal(0.9, t.BestValue);
        Assert.Equal(3, t.StoppedEpoch);
        Assert.True(t.ShouldStop);
    }

    [Fact]
    public void AnImprovementResetsTheWait()
    {
        var t = Tracker(MonitoredMetric.TrainLoss, 2);
        Assert.Equal("IWIWS", Run(t, 1.0, 1.1, 0.8, 0.85, 0.81));
        Assert.Equal(2, t.BestEpoch);
    }

    [Fact]
    public void MinDeltaMustBeExceededAndCountsFromTheBestValue()
    {
        // 0.96 + 0.05 is not below 1.0; 0.94 + 0.05 is; 0.9 + 0.05 is not below 0.94.
        var t = Tracker(MonitoredMetric.ValidationLoss, 3, minDelta: 0.05);
        Assert.Equal("IWIW", Run(t, 1.0, 0.96, 0.94, 0.9));
        Assert.Equal(2, t.BestEpoch);
        Assert.Equal(0.94, t.BestValue);
        Assert.Equal(1, t.EpochsWithoutImprovement);
    }

    [Fact]
    public void AccuracyImprovesUpwardsAndATieIsNoImprovement()
    {
        var t = Tracker(MonitoredMetric.ValidationAccuracy, 3);
        Assert.Equal("IIWWI", Run(t, 0.5, 0.6, 0.6, 0.59, 0.7));
        Assert.Equal(4, t.BestEpoch);
        var withDelta = Tracker(MonitoredMetric.TrainAccuracy, 1, minDelta: 0.01);
        Assert.Equal("IS", Run(withDelta, 0.5, 0.505));
    }

    [Fact]
    public void PatienceZeroStopsAtTheFirstEpochThatDoesNotImprove() =>
        Assert.Equal("IIS", Run(Tracker(MonitoredMetric.ValidationLoss, 0), 1.0, 0.9, 0.95));

    [Fact]
    public void NaNNeverImprovesAndTheFirstEpochNeverStops()
    {
        var t = Tracker(MonitoredMetric.ValidationLoss, 0);
        Assert.Equal("WI", Run(t, double.NaN, 1.0));
        Assert.Equal(1, t.BestEpoch);
        Assert.Equal(EarlyStoppingDecision.Stop, t.Observe(2, double.NaN));
    }

    [Fact]
    public void BeforeAnyImprovementThereIsNoBestEpoch()
    {
        var t = Tracker(MonitoredMetric.ValidationAccuracy, 1);
        Assert.Null(t.BestEpoch);
        Assert.Equal(double.NegativeInfinity, t.BestValue);
        Assert.Equal(double.PositiveInfinity, Tracker(MonitoredMetric.TrainLoss, 1).BestValue);
    }

    [Fact]
    public void EpochsMustIncreaseAndStopIsFinal()
    {
        var t = Tracker(MonitoredMetric.ValidationLoss, 0);
        t.Observe(3, 1.0);
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Observe(3, 0.5));
        Assert.Equal(EarlyStoppingDecision.Stop, t.Observe(5, 2.0));
        Assert.Throws<InvalidOperationException>(() => t.Observe(6, 0.1));
    }

    [Fact]
    public void ObservesTheWatchedMetricOfAnEpochResult()
    {
        static EpochResult Epoch(int e, double trainLoss, double? valAccuracy) =>
            new(e, trainLoss, 0.5, valAccuracy is null ? null : 1.0, valAccuracy, 0.01, TimeSpan.FromSeconds(1), 100);

        var accuracy = Tracker(MonitoredMetric.ValidationAccuracy, 1);
        Assert.Equal(EarlyStoppingDecision.Improved, accuracy.Observe(Epoch(0, 1.0, 0.7)));
        Assert.Equal(EarlyStoppingDecision.Stop, accuracy.Observe(Epoch(1, 0.5, 0.69)));

        var missing = Tracker(MonitoredMetric.ValidationLoss, 1);
        var e = Assert.Throws<ArgumentException>(() => missing.Observe(Epoch(0, 1.0, null)));
        Assert.Contains("ValidationLoss", e.Message, StringComparison.Ordinal);

        var train = Tracker(MonitoredMetric.TrainLoss, 1);
        Assert.Equal(EarlyStoppingDecision.Improved, train.Observe(Epoch(0, 1.0, null)));
    }
}

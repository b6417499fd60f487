using TransferKit.Training.EarlyStopping;

namespace TransferKit.Tests.Training.EarlyStopping;

public class EarlyStoppingOptionsTests
{
    [Theory]
    [InlineData(MonitoredMetric.ValidationLoss, MetricMode.Minimize)]
    [InlineData(MonitoredMetric.TrainLoss, MetricMode.Minimize)]
    [InlineData(MonitoredMetric.ValidationAccuracy, MetricMode.Maximize)]
    [InlineData(MonitoredMetric.TrainAccuracy, MetricMode.Maximize)]
    public void ModeFollowsTheMetric(MonitoredMetric metric, MetricMode mode) =>
        Assert.Equal(mode, new EarlyStoppingOptions { Metric = metric }.Mode);

    [Fact]
    public void DefaultsAreValid()
    {
        var o = new EarlyStoppingOptions();
        o.Validate();
        Assert.Equal(MonitoredMetric.ValidationLoss, o.Metric);
        Assert.Equal(3, o.Patience);
        Assert.Equal(0, o.MinDelta);
        Assert.True(o.RestoreBestWeights);
    }

    [Theory]
    [InlineData(nameof(EarlyStoppingOptions.Metric))]
    [InlineData(nameof(EarlyStoppingOptions.Patience))]
    [InlineData(nameof(EarlyStoppingOptions.MinDelta))]
    public void ValidationNamesTheOption(string option)
    {
        var bad = option switch
        {
            nameof(EarlyStoppingOptions.Metric) => new EarlyStoppingOptions { Metric = (MonitoredMetric)42 },
            nameof(EarlyStoppingOptions.Patience) => new EarlyStoppingOptions { Patience = -1 },
            _ => new EarlyStoppingOptions { MinDelta = double.NaN },
        };
        var e = Assert.Throws<ArgumentOutOfRangeException>(bad.Validate);
        Assert.Equal(option, e.ParamName);
        Assert.Contains("EarlyStoppingOptions." + option, e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStoppingTracker(bad));
    }

    [Fact]
    public void NegativeMinDeltaIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(new EarlyStoppingOptions { MinDelta = -0.1 }.Validate);

    [Fact]
    public void OnlyValidationMetricsNeedAValidationSet()
    {
        Assert.True(MonitoredMetric.ValidationLoss.NeedsValidation());
        Assert.True(MonitoredMetric.ValidationAccuracy.NeedsValidation());
        Assert.False(MonitoredMetric.TrainLoss.NeedsValidation());
        Assert.False(MonitoredMetric.TrainAccuracy.NeedsValidation());
    }
}

using TransferKit.Api;
using TransferKit.Reporting;

namespace TransferKit.Tests.Reporting;

public sealed class AxisScaleTests
{
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.13, 2.71)]
    [InlineData(1e-5, 3e-3)]
    [InlineData(-4.2, 17.9)]
    [InlineData(1.0, 1.0)]
    [InlineData(0.0, 0.0)]
    [InlineData(12345.0, 98765.0)]
    public void TicksAreRoundAndCoverTheData(double low, double high)
    {
        var scale = AxisScale.Create(low, high, 0, 100, targetTicks: 6);
        var ticks = scale.Ticks.ToList();
        Assert.InRange(ticks.Count, 2, 12);
        Assert.True(scale.Min <= low && scale.Max >= high, $"[{scale.Min}, {scale.Max}] covers [{low}, {high}]");
        double mantissa = scale.Step / Math.Pow(10, Math.Floor(Math.Log10(scale.Step)));
        Assert.Contains(Math.Round(mantissa, 9), new[] { 1.0, 2.0, 5.0 });
        foreach (double t in ticks) Assert.Equal(0, Math.Abs((t / scale.Step) - Math.Round(t / scale.Step)), 6);
        Assert.Equal(0, scale.ToPixel(scale.Min), 9);
        Assert.Equal(100, scale.ToPixel(scale.Max), 9);
        Assert.Equal(ticks.Count, ticks.Select(scale.Format).Distinct().Count());
    }

    [Fact]
    public void IntegerAxesStepByWholeNumbersAndLabelsHaveTheStepsPrecision()
    {
        var epochs = AxisScale.Create(1, 3, 0, 100, targetTicks: 8, integerSteps: true);
        Assert.Equal([1.0, 2.0, 3.0], epochs.Ticks);
        Assert.Equal("2", epochs.Format(2));
        var accuracy = AxisScale.Create(0, 1, 100, 0);
        Assert.Equal("0.2", accuracy.Format(0.2));
        Assert.Equal(100, accuracy.ToPixel(0), 9);
        var rate = AxisScale.Create(0, 3e-4, 100, 0);
        Assert.Equal("5E-5", rate.Format(5e-5));
        Assert.Equal("0", rate.Format(0));
    }

    [Theory]
    [InlineData(0.7, 1)]
    [InlineData(1.0, 1)]
    [InlineData(1.3, 2)]
    [InlineData(3.0, 5)]
    [InlineData(7.0, 10)]
    [InlineData(0.00031, 0.0005)]
    public void NiceStepRoundsUpToOneTwoOrFiveTimesAPowerOfTen(double rough, double nice) =>
        Assert.Equal(nice, AxisScale.NiceStep(rough), 12);
}

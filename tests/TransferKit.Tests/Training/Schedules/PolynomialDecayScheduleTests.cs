using TransferKit.Training.Schedules;

namespace TransferKit.Tests.Training.Schedules;

/// <summary>TensorFlow's polynomial_decay (ML.NET's PolynomialLRDecay) in closed form, over 2 epochs of 4 steps (8 decay steps).</summary>
public class PolynomialDecayScheduleTests
{
    private static SchedulePosition Step(long global) => SchedulePosition.FromGlobalStep(global, 4);

    [Fact]
    public void FallsLinearlyToTheEndRateAndStaysThere()
    {
        var s = new PolynomialDecaySchedule();
        Assert.Equal(0.01, s.LearningRateAt(0.01, Step(0)), 15);
        Assert.Equal(0.0099 * 0.5 + 1e-4, s.LearningRateAt(0.01, Step(4)), 15);
        Assert.Equal(1e-4, s.LearningRateAt(0.01, Step(8)), 15);
        Assert.Equal(1e-4, s.LearningRateAt(0.01, Step(12)), 15);
    }

    [Fact]
    public void PowerShapesTheCurveAndCycleRestartsItOverALongerSpan()
    {
        Assert.Equal(0.0099 * 0.25 + 1e-4, new PolynomialDecaySchedule(power: 2).LearningRateAt(0.01, Step(4)), 15);
        var cycled = new PolynomialDecaySchedule(cycle: true);
        Assert.Equal(0.01, cycled.LearningRateAt(0.01, Step(0)), 15);
        Assert.Equal(1e-4, cycled.LearningRateAt(0.01, Step(8)), 15);
        Assert.Equal(0.0099 * 0.25 + 1e-4, cycled.LearningRateAt(0.01, Step(12)), 15);
    }

    [Fact]
    public void RejectsOutOfRangeArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PolynomialDecaySchedule(decayEpochs: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PolynomialDecaySchedule(endLearningRate: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PolynomialDecaySchedule(power: double.NaN));
    }
}

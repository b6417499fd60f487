using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Training.Optimizers;
using TransferKit.Training.Schedules;

namespace TransferKit.Tests.Training.Schedules;

/// <summary>Closed-form facts and argument checks of the simple schedules (PyTorch agreement is in <see cref="PyTorchScheduleTests"/>).</summary>
public class ScheduleTests
{
    private static SchedulePosition Epoch(int e) => new(e, 0, 1);

    [Fact]
    public void MlNetDefaultIsStaircaseDecayEveryTwoEpochs()
    {
        double[] expected = [0.01, 0.01, 0.0094, 0.0094, 0.008836];
        for (int e = 0; e < expected.Length; e++)
        {
            Assert.Equal(expected[e], StepSchedule.MlNetDefault.LearningRateAt(0.01, Epoch(e)), 15);
            Assert.Equal(expected[e], new ExponentialDecaySchedule().LearningRateAt(0.01, Epoch(e)), 15);
        }
    }

    [Fact]
    public void ContinuousDecayFallsWithinAnEpochAndMatchesTheStaircaseAtWholeDecays()
    {
        var smooth = new ExponentialDecaySchedule(0.94, 2, staircase: false);
        Assert.True(smooth.LearningRateAt(1, new SchedulePosition(0, 1, 4)) < smooth.LearningRateAt(1, new SchedulePosition(0, 0, 4)));
        Assert.Equal(0.94 * 0.94, smooth.LearningRateAt(1, new SchedulePosition(4, 0, 4)), 15);
    }

    [Fact]
    public void CosineReachesEtaMinAtTMaxAndRisesAfter()
    {
        var s = new CosineAnnealingSchedule(4, 0.01);
        Assert.Equal(1, s.LearningRateAt(1, Epoch(0)));
        Assert.Equal(0.505, s.LearningRateAt(1, Epoch(2)), 14);
        Assert.Equal(0.01, s.LearningRateAt(1, Epoch(4)), 15);
        Assert.Equal(s.LearningRateAt(1, Epoch(3)), s.LearningRateAt(1, Epoch(5)), 14);
    }

    [Fact]
    public void WarmupRampsLinearlyThenLeavesTheInnerScheduleAlone()
    {
        var s = new LinearWarmupSchedule(ConstantSchedule.Instance, warmup: 4, startFactor: 0.2);
        double[] expected = [0.2, 0.4, 0.6, 0.8, 1, 1];
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], s.LearningRateAt(1, SchedulePosition.FromGlobalStep(i, 3)), 14);
        var cycle = new OneCycleSchedule(new OneCycleOptions { TotalSteps = 10 });
        Assert.Equal(cycle.MomentumAt(Epoch(2)), new LinearWarmupSchedule(cycle, 3).MomentumAt(Epoch(2)));
    }

    [Fact]
    public void ConstructorsRejectBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepSchedule(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepSchedule(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialSchedule(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialSchedule(0.9, (ScheduleInterval)3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecaySchedule(decayEpochs: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingSchedule(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingSchedule(5, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearWarmupSchedule(ConstantSchedule.Instance, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearWarmupSchedule(ConstantSchedule.Instance, 3, 0));
        Assert.Throws<ArgumentNullException>(() => new LinearWarmupSchedule(null!, 3));
    }

    [Fact]
    public void ApplyToSetsTheOptimizersBaseRateAndKeepsGroupMultipliers()
    {
        using var w = Tensor.Zeros(2);
        var groups = new[] { new ParameterGroup([new Parameter(w)], 0.1f) };
        using var sgd = new Sgd(groups, learningRate: 1);
        var schedule = new StepSchedule(1, 0.5);
        double lr = schedule.ApplyTo(sgd, 0.2, Epoch(2));
        Assert.Equal(0.05, lr, 15);
        Assert.Equal(0.05f, sgd.LearningRate);
        Assert.Equal(0.1f, sgd.Groups[0].LearningRateMultiplier);
    }

    [Fact]
    public void ApplyToAcceptsTheZeroRateCosineAnnealingEndsOnAndAppliesOneCycleMomentum()
    {
        using var w = Tensor.Zeros(2);
        using var sgd = new Sgd([new ParameterGroup([new Parameter(w)])], learningRate: 1, momentum: 0.9f);
        Assert.Equal(0, new CosineAnnealingSchedule(2).ApplyTo(sgd, 0.1, Epoch(2)), 12);
        Assert.Equal(0f, sgd.LearningRate);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = -1e-3f);
        var oneCycle = new OneCycleSchedule(new OneCycleOptions { TotalSteps = 10 });
        oneCycle.ApplyTo(sgd, 0.1, new SchedulePosition(0, 0, 10));
        Assert.Equal(oneCycle.MomentumAt(new SchedulePosition(0, 0, 10))!.Value, sgd.Momentum, 6);
    }
}

using TransferKit.Training.Schedules;

namespace TransferKit.Tests.Training.Schedules;

public class OneCycleScheduleTests
{
    private static SchedulePosition At(long step, int stepsPerEpoch = 10) => SchedulePosition.FromGlobalStep(step, stepsPerEpoch);

    [Fact]
    public void StartsAtMaxOverDivFactorPeaksAtMaxAndEndsNearMaxOverDivTimesFinalDiv()
    {
        var schedule = new OneCycleSchedule(new OneCycleOptions { TotalSteps = 100 });
        Assert.Equal(0.1 / 25, schedule.LearningRateAt(0.1, At(0)), 15);
        // Phase one ends at step pct * total - 1 = 29, where the rate is exactly the maximum.
        Assert.Equal(0.1, schedule.LearningRateAt(0.1, At(29)), 15);
        Assert.Equal(0.1 / 25 / 1e4, schedule.LearningRateAt(0.1, At(99)), 15);
        Assert.Equal(0.95, schedule.MomentumAt(At(0))!.Value, 15);
        Assert.Equal(0.85, schedule.MomentumAt(At(29))!.Value, 15);
        Assert.Equal(0.95, schedule.MomentumAt(At(99))!.Value, 15);
    }

    [Fact]
    public void MaxLearningRateOverridesTheBaseRate()
    {
        var schedule = new OneCycleSchedule(new OneCycleOptions { TotalSteps = 20, MaxLearningRate = 0.5 });
        Assert.Equal(0.5 / 25, schedule.LearningRateAt(123, At(0)), 15);
    }

    [Fact]
    public void EpochsUseThePositionsStepsPerEpoch()
    {
        var byEpochs = new OneCycleSchedule(new OneCycleOptions { Epochs = 3 });
        var bySteps = new OneCycleSchedule(new OneCycleOptions { TotalSteps = 21 });
        Assert.Equal(21, byEpochs.TotalSteps(7));
        for (int s = 0; s < 21; s++)
            Assert.Equal(bySteps.LearningRateAt(1, At(s, 7)), byEpochs.LearningRateAt(1, At(s, 7)));
    }

    [Fact]
    public void AllowsTheStepAfterTheCycleLikePyTorchButNotOneMore()
    {
        var schedule = new OneCycleSchedule(new OneCycleOptions { TotalSteps = 10 });
        Assert.True(double.IsFinite(schedule.LearningRateAt(1, At(10))));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => schedule.LearningRateAt(1, At(11)));
        Assert.Contains("past", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.MomentumAt(At(11)));
    }

    [Fact]
    public void PhaseWithoutLengthThrowsInsteadOfReturningNaN()
    {
        // pct_start * total = 1: phase one ends at step 0, where it also starts; PyTorch raises ZeroDivisionError.
        var schedule = new OneCycleSchedule(new OneCycleOptions { TotalSteps = 10, PctStart = 0.1 });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => schedule.LearningRateAt(1, At(0)));
        Assert.Contains("no length", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutMomentumCyclingMomentumIsNull()
    {
        var schedule = new OneCycleSchedule(new OneCycleOptions { TotalSteps = 10, CycleMomentum = false });
        Assert.Null(schedule.MomentumAt(At(3)));
    }

    [Theory]
    [InlineData(nameof(OneCycleOptions.TotalSteps))]
    [InlineData(nameof(OneCycleOptions.Epochs))]
    [InlineData(nameof(OneCycleOptions.MaxLearningRate))]
    [InlineData(nameof(OneCycleOptions.PctStart))]
    [InlineData(nameof(OneCycleOptions.Anneal))]
    [InlineData(nameof(OneCycleOptions.BaseMomentum))]
    [InlineData(nameof(OneCycleOptions.DivFactor))]
    [InlineData(nameof(OneCycleOptions.FinalDivFactor))]
    public void ValidationNamesTheOption(string option)
    {
        var bad = option switch
        {
            nameof(OneCycleOptions.TotalSteps) => new OneCycleOptions { TotalSteps = 0 },
            nameof(OneCycleOptions.Epochs) => new OneCycleOptions { Epochs = -1 },
            nameof(OneCycleOptions.MaxLearningRate) => new OneCycleOptions { TotalSteps = 5, MaxLearningRate = 0 },
            nameof(OneCycleOptions.PctStart) => new OneCycleOptions { TotalSteps = 5, PctStart = 1.5 },
            nameof(OneCycleOptions.Anneal) => new OneCycleOptions { TotalSteps = 5, Anneal = (AnnealStrategy)7 },
            nameof(OneCycleOptions.BaseMomentum) => new OneCycleOptions { TotalSteps = 5, BaseMomentum = double.NaN },
            nameof(OneCycleOptions.DivFactor) => new OneCycleOptions { TotalSteps = 5, DivFactor = -1 },
            _ => new OneCycleOptions { TotalSteps = 5, FinalDivFactor = double.PositiveInfinity },
        };
        var e = Assert.ThrowsAny<ArgumentException>(() => new OneCycleSchedule(bad));
        Assert.Equal(option, e.ParamName);
        Assert.Contains(option, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NeedsTotalStepsOrEpochs()
    {
        var e = Assert.Throws<ArgumentException>(() => new OneCycleOptions().Validate());
        Assert.Equal(nameof(OneCycleOptions.TotalSteps), e.ParamName);
    }
}

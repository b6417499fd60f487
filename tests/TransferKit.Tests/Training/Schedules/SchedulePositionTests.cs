using TransferKit.Training.Schedules;

namespace TransferKit.Tests.Training.Schedules;

public class SchedulePositionTests
{
    [Fact]
    public void CountsEpochsAndGlobalSteps()
    {
        var p = new SchedulePosition(3, 2, 5);
        Assert.Equal(17, p.GlobalStep);
        Assert.Equal(3.4, p.FractionalEpoch, 12);
        Assert.Equal(3, p.Count(ScheduleInterval.Epoch));
        Assert.Equal(17, p.Count(ScheduleInterval.Step));
        Assert.Equal(p, SchedulePosition.FromGlobalStep(17, 5));
    }

    [Theory]
    [InlineData(-1, 0, 1)]
    [InlineData(0, 0, 0)]
    [InlineData(0, -1, 4)]
    [InlineData(0, 4, 4)]
    public void RejectsImpossiblePositions(int epoch, int step, int stepsPerEpoch) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SchedulePosition(epoch, step, stepsPerEpoch));

    [Fact]
    public void EpochSchedulesIgnoreTheBatch()
    {
        ILearningRateSchedule[] schedules =
        [
            new StepSchedule(2), new ExponentialSchedule(0.9), new CosineAnnealingSchedule(5), new ExponentialDecaySchedule(),
        ];
        foreach (var s in schedules)
            for (int step = 1; step < 4; step++)
                Assert.Equal(s.LearningRateAt(0.1, new SchedulePosition(3, 0, 4)), s.LearningRateAt(0.1, new SchedulePosition(3, step, 4)));
    }
}

using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Training.Optimizers;
using TransferKit.Training.Schedules;

namespace TransferKit.Tests.Training.Schedules;

public class DiscriminativeLearningRatesTests
{
    [Fact]
    public void SliceLowHighIsGeometricAndEndsAtOne()
    {
        // fastai: slice(1e-5, 1e-3) over 3 groups gives 1e-5, 1e-4, 1e-3.
        var m = DiscriminativeLearningRates.Multipliers(1e-5, 1e-3, 3);
        Assert.Equal(3, m.Length);
        Assert.Equal(0.01f, m[0], 1e-7f);
        Assert.Equal(0.1f, m[1], 1e-7f);
        Assert.Equal(1f, m[2]);
        var five = DiscriminativeLearningRates.Multipliers(1e-4, 1e-2, 5);
        for (int i = 1; i < 5; i++) Assert.Equal(Math.Sqrt(10), five[i] / five[i - 1], 5);
    }

    [Fact]
    public void OneGroupAndEqualBoundsGiveOne()
    {
        Assert.Equal([1f], DiscriminativeLearningRates.Multipliers(1e-5, 1e-3, 1));
        Assert.Equal([1f, 1f, 1f], DiscriminativeLearningRates.Multipliers(1e-3, 1e-3, 3));
    }

    [Fact]
    public void SliceHighGivesATenthToAllButTheLastGroup() =>
        Assert.Equal([0.1f, 0.1f, 0.1f, 1f], DiscriminativeLearningRates.Multipliers(4));

    [Fact]
    public void ApplyCopiesGroupsWithTheirMultipliers()
    {
        using var a = Tensor.Zeros(1);
        using var b = Tensor.Zeros(1);
        var groups = new[] { new ParameterGroup([new Parameter(a)]), new ParameterGroup([new Parameter(b)]) };
        var applied = DiscriminativeLearningRates.Apply(groups, 1e-4, 1e-2);
        Assert.Equal(0.01f, applied[0].LearningRateMultiplier, 1e-7f);
        Assert.Equal(1f, applied[1].LearningRateMultiplier);
        Assert.Same(groups[0].Parameters, applied[0].Parameters);
        Assert.Equal(1f, groups[0].LearningRateMultiplier);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DiscriminativeLearningRates.Multipliers(1e-2, 1e-3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => DiscriminativeLearningRates.Multipliers(0, 1e-3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => DiscriminativeLearningRates.Multipliers(1e-5, 1e-3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DiscriminativeLearningRates.Multipliers(0));
    }
}

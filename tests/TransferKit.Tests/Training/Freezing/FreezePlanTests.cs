using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Training.Freezing;

namespace TransferKit.Tests.Training.Freezing;

public class FreezePlanTests
{
    private static BaselineCnn Net() => new(new BaselineCnnOptions { Channels = [4, 6, 8, 10], Classes = 3 });

    [Fact]
    public void EveryWayToSayTheDepthResolves()
    {
        using var net = Net();
        Assert.Equal(["features.0", "features.1", "features.2", "features.3"], net.Units.Select(u => u.Name));
        Assert.Equal(0, FreezeDepth.None.Resolve(net));
        Assert.Equal(4, FreezeDepth.Backbone.Resolve(net));
        Assert.Equal(3, FreezeDepth.FirstUnits(3).Resolve(net));
        Assert.Equal(3, FreezeDepth.TrainLastUnits(1).Resolve(net));
        Assert.Equal(3, FreezeDepth.Fraction(0.8).Resolve(net));
        Assert.Equal(2, FreezeDepth.UpTo("features.1").Resolve(net));
    }

    [Fact]
    public void BadDepthsNameTheOptionAndTheUnits()
    {
        using var net = Net();
        Assert.Contains("features.0, features.1", Assert.Throws<ArgumentException>(() => FreezeDepth.UpTo("layer3").Resolve(net)).Message);
        Assert.Contains("FreezeUnits(firstN: 9)", Assert.Throws<ArgumentException>(() => FreezeDepth.FirstUnits(9).Resolve(net)).Message);
        Assert.Contains("TrainLastUnits(-1)", Assert.Throws<ArgumentException>(() => FreezeDepth.TrainLastUnits(-1).Resolve(net)).Message);
        Assert.Contains("FreezeFraction(1.5)", Assert.Throws<ArgumentException>(() => FreezeDepth.Fraction(1.5).Resolve(net)).Message);
    }

    [Fact]
    public void FrozenUnitsKeepRunningStatisticsAndGetNoGradients()
    {
        using var net = Net();
        var plan = FreezePlan.For(net, FreezeDepth.FirstUnits(2));
        plan.Apply(net);
        long expectedTrainable = (6 * 8 * 9 + 16) + (8 * 10 * 9 + 20) + (10 * 3 + 3);
        Assert.Equal(expectedTrainable, FreezePlan.TrainableParameterCount(net));
        plan.SetTrainingMode(net);
        var frozenBn = (BatchNorm2d)((Sequential)net.Units[0].Modules[0])[1];
        var trainedBn = (BatchNorm2d)((Sequential)net.Units[3].Modules[0])[1];
        Assert.False(frozenBn.IsTraining);
        Assert.True(trainedBn.IsTraining);

        var statsBefore = frozenBn.RunningMean.ToArray();
        using (var scope = TensorScope.Begin())
        using (var tape = Tape.Begin())
        {
            var x = Tensor.Full(new Shape(2, 3, 16, 16), 0.3f);
            tape.Backward(Ops.CrossEntropy(net.Forward(x), [0, 2]));
        }
        Assert.Equal(statsBefore, frozenBn.RunningMean.ToArray());
        Assert.Null(frozenBn.Weight.Grad);
        Assert.NotNull(trainedBn.Weight.Grad);
    }

    [Fact]
    public void TrainingFrozenBatchNormKeepsItLearning()
    {
        using var net = Net();
        var plan = FreezePlan.For(net, FreezeDepth.Backbone, trainFrozenBatchNorm: true);
        plan.Apply(net);
        plan.SetTrainingMode(net);
        Assert.False(plan.PrefixIsFixed);
        var bn = (BatchNorm2d)((Sequential)net.Units[0].Modules[0])[1];
        var conv = (Conv2d)((Sequential)net.Units[0].Modules[0])[0];
        Assert.True(bn.IsTraining);
        Assert.True(bn.Weight.Trainable);
        Assert.False(conv.Weight.Trainable);
        Assert.False(conv.IsTraining);
    }
}

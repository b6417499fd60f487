using TransferKit.Models;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Tests.Models;

/// <summary>DenseNet contracts: torchvision's parameter counts, keys and units, unit composition, head replacement, output shapes.</summary>
public class DenseNetTests
{
    private static readonly DenseNetConfig Tiny = new(GrowthRate: 4, BlockConfig: [2, 3], InitFeatures: 8, BottleneckSize: 2);

    [Fact]
    public void DenseNet121MatchesTorchvision()
    {
        var info = Architectures.DenseNet121;
        Assert.Equal([info], Architectures.DenseNetFamily);
        using var model = info.CreateImageNet();
        Assert.IsType<DenseNet>(model);
        // torchvision 0.14: densenet121() has 7,978,856 parameters, 6,953,856 without the classifier.
        Assert.Equal(7_978_856, model.ParameterCount());
        Assert.Equal(6_953_856, model.ParameterCount() - model.Head.ParameterCount());
        Assert.Equal((7_978_856L, 6_953_856L), (info.ParameterCount, info.ParameterCountWithoutHead));
        string[] units = ["stem", "denseblock1", "transition1", "denseblock2", "transition2", "denseblock3", "transition3", "denseblock4", "norm5"];
        Assert.Equal(units, model.Units.Select(u => u.Name));
        Assert.Equal(info.Units, model.Units.Select(u => u.Name));
        Assert.Equal(("classifier", 1024), (model.HeadName, model.FeatureChannels));
        Assert.Equal((info.HeadName, info.FeatureDimension), (model.HeadName, model.FeatureChannels));
        // conv0/norm0 and conv1/norm2 of each of the 58 dense layers.
        TorchvisionModelChecks.PairsAreDistinctModules(model, 1 + 6 + 12 + 24 + 16);
        TorchvisionModelChecks.KeysMatchTorchvision(model, "densenet121");
        Assert.Equal((2.83, 74.434, 91.972), (info.GigaFlops, info.Top1, info.Top5));
        Assert.Equal(PreprocessingSpec.ImageNet224, info.Preprocessing);

        model.Eval();
        using var scope = TensorScope.Begin();
        var features = model.ForwardUnits(TorchvisionModelChecks.Input(1, 32), 0, model.Units.Count);
        Assert.Equal(new Shape(1, 1024, 1, 1), features.Shape);
        Assert.Equal(new Shape(1, 1000), model.ForwardHead(features).Shape);
    }

    [Fact]
    public void TinyVariantHasTorchvisionShapes()
    {
        using var model = new DenseNet(Tiny, classes: 3);
        // 8 stem channels; block1 adds 2 x 4 = 16; transition halves to 8; block2 adds 3 x 4 = 20.
        Assert.Equal([8, 8, 20], Tiny.BlockInputChannels());
        Assert.Equal(20, model.FeatureChannels);
        var state = model.StateDict();
        Assert.Equal(new Shape(8, 12, 1, 1), state["features.denseblock1.denselayer2.conv1.weight"].Shape);
        Assert.Equal(new Shape(4, 8, 3, 3), state["features.denseblock2.denselayer3.conv2.weight"].Shape);
        Assert.Equal(new Shape(8, 16, 1, 1), state["features.transition1.conv.weight"].Shape);
        Assert.Equal(new Shape(20), state["features.norm5.running_var"].Shape);
        Assert.Equal(new Shape(3, 20), state["classifier.weight"].Shape);
        Assert.All(state["classifier.bias"].ToArray(), b => Assert.Equal(0f, b));
        TorchvisionModelChecks.PairsAreDistinctModules(model, 1 + 2 + 3);

        model.Eval();
        using var scope = TensorScope.Begin();
        var x = TorchvisionModelChecks.Input(2, 32);
        Assert.Equal(new Shape(2, 20, 4, 4), model.ForwardUnits(x, 0, model.Units.Count).Shape);
        Assert.Equal(new Shape(2, 3), model.Forward(x).Shape);
    }

    [Fact]
    public void ConvolutionsUseTorchvisionsFanInInit()
    {
        using var model = new DenseNet(new DenseNetConfig(32, [2], 64), classes: 2);
        // conv1 of denselayer2 is 128 x 96 x 1 x 1: fan-in 96, so std sqrt(2 / 96) (fan-out would give sqrt(2 / 128)).
        var w = model.StateDict()["features.denseblock1.denselayer2.conv1.weight"].ToArray();
        double std = Math.Sqrt(w.Select(v => (double)v * v).Average());
        Assert.InRange(std, Math.Sqrt(2.0 / 96) * 0.95, Math.Sqrt(2.0 / 96) * 1.05);
    }

    [Fact]
    public void UnitsComposeToForward()
    {
        using var model = new DenseNet(Tiny, classes: 4, seed: 2);
        using var x = TorchvisionModelChecks.Input(2, 24);
        TorchvisionModelChecks.UnitsComposeToForward(model, x);
    }

    [Fact]
    public void ReplaceHead()
    {
        using var model = new DenseNet(Tiny, classes: 5);
        using var x = TorchvisionModelChecks.Input(2, 32);
        TorchvisionModelChecks.ReplaceHeadWorks(model, () => new Linear(model.FeatureChannels, 2, new Random(1)), 2, x);
    }

    [Fact]
    public void InvalidConfigsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new DenseNet(Tiny with { GrowthRate = 0 }));
        Assert.Throws<ArgumentException>(() => new DenseNet(Tiny with { BlockConfig = [] }));
        Assert.Throws<ArgumentException>(() => new DenseNet(Tiny with { BlockConfig = [2, 0] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DenseNet(Tiny, classes: 0));
    }
}

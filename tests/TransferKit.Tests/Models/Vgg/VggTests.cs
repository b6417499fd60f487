using TransferKit.Models;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Tests.Models;

/// <summary>VGG contracts: torchvision's parameter counts, keys and units, unit composition, head replacement, output shapes.</summary>
public class VggTests
{
    private static readonly VggConfig Tiny = new([[4], [8, 8]], HiddenFeatures: 12, Dropout: 0.5f);

    [Fact]
    public void Vgg16MatchesTorchvision()
    {
        var info = Architectures.Vgg16;
        Assert.Equal([info], Architectures.VggFamily);
        using var model = info.CreateImageNet();
        Assert.IsType<Vgg>(model);
        // torchvision 0.14: vgg16() has 138,357,544 parameters, 14,714,688 of them in `features`.
        Assert.Equal(138_357_544, model.ParameterCount());
        Assert.Equal(14_714_688, model.ParameterCount() - model.Head.ParameterCount());
        Assert.Equal((138_357_544L, 14_714_688L), (info.ParameterCount, info.ParameterCountWithoutHead));
        Assert.Equal(["block1", "block2", "block3", "block4", "block5"], model.Units.Select(u => u.Name));
        Assert.Equal(info.Units, model.Units.Select(u => u.Name));
        Assert.Equal([5, 5, 7, 7, 7], model.Units.Select(u => u.Modules.Count));
        Assert.Equal(("classifier", 512), (model.HeadName, model.FeatureChannels));
        Assert.Equal((info.HeadName, info.FeatureDimension), (model.HeadName, model.FeatureChannels));
        Assert.Equal(25_088, ((Vgg)model).Config.ClassifierInputFeatures);
        Assert.Empty(model.ConvBatchNormPairs());
        TorchvisionModelChecks.KeysMatchTorchvision(model, "vgg16");
        Assert.Equal((15.47, 71.592, 90.382), (info.GigaFlops, info.Top1, info.Top5));
        Assert.Equal(PreprocessingSpec.ImageNet224, info.Preprocessing);

        // 32 x 32 is the smallest input: five 2x2 pools leave 1 x 1, which the adaptive pool spreads to 7 x 7.
        model.Eval();
        using var scope = TensorScope.Begin();
        var features = model.ForwardUnits(TorchvisionModelChecks.Input(1, 32), 0, 5);
        Assert.Equal(new Shape(1, 512, 1, 1), features.Shape);
        Assert.Equal(new Shape(1, 1000), model.ForwardHead(features).Shape);
    }

    [Fact]
    public void LayersAreNumberedAsTorchvision()
    {
        using var model = new Vgg(Tiny, classes: 3);
        var keys = model.StateDict().Keys.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            ["classifier.0.bias", "classifier.0.weight", "classifier.3.bias", "classifier.3.weight", "classifier.6.bias", "classifier.6.weight",
             "features.0.bias", "features.0.weight", "features.3.bias", "features.3.weight", "features.5.bias", "features.5.weight"], keys);
        Assert.Equal(new Shape(12, 8 * 49), model.StateDict()["classifier.0.weight"].Shape);
        Assert.IsType<MaxPool2d>(model.Units[0].Modules[^1]);
        Assert.IsType<MaxPool2d>(model.Units[1].Modules[^1]);
        // torchvision's init: Linear weights N(0, 0.01^2), biases zero; conv biases zero.
        var w = model.StateDict()["classifier.0.weight"].ToArray();
        double std = Math.Sqrt(w.Select(v => (double)v * v).Average());
        Assert.InRange(std, 0.009, 0.011);
        Assert.All(model.StateDict()["classifier.0.bias"].ToArray(), b => Assert.Equal(0f, b));
        Assert.All(model.StateDict()["features.3.bias"].ToArray(), b => Assert.Equal(0f, b));
    }

    [Fact]
    public void UnitsComposeToForward()
    {
        using var model = new Vgg(Tiny, classes: 4, seed: 2);
        using var x = TorchvisionModelChecks.Input(2, 20);
        TorchvisionModelChecks.UnitsComposeToForward(model, x);
    }

    [Fact]
    public void ReplaceHead()
    {
        using var model = new Vgg(Tiny, classes: 5);
        using var x = TorchvisionModelChecks.Input(2, 16);
        TorchvisionModelChecks.ReplaceHeadWorks(model, () => new Linear(Tiny.ClassifierInputFeatures, 2, new Random(1)), 2, x);
    }

    [Fact]
    public void DropoutIsSeededAndOffInEval()
    {
        using var a = new Vgg(Tiny, classes: 3, seed: 7);
        using var b = new Vgg(Tiny, classes: 3, seed: 7);
        using var scope = TensorScope.Begin();
        var x = TorchvisionModelChecks.Input(2, 16);
        Assert.Equal(a.Forward(x).ToArray(), b.Forward(x).ToArray());
        a.Eval();
        Assert.Equal(a.Forward(x).ToArray(), a.Forward(x).ToArray());
    }

    [Fact]
    public void InvalidConfigsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new Vgg(new VggConfig([])));
        Assert.Throws<ArgumentException>(() => new Vgg(new VggConfig([[4], []])));
        Assert.Throws<ArgumentException>(() => new Vgg(Tiny with { Dropout = 1f }));
        Assert.Throws<ArgumentException>(() => new Vgg(Tiny with { HiddenFeatures = 0 }));
    }
}

using TransferKit.Models;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Tests.Models;

/// <summary>ResNet contracts: torchvision's parameter counts, keys and units, unit composition, head replacement, output shapes.</summary>
public class ResNetTests
{
    // torchvision 0.14: sum(p.numel() for p in resnetX().parameters()), and the same without fc.
    public static TheoryData<string, long, long, int> FullSize => new()
    {
        { "resnet18", 11_689_512, 11_176_512, 20 },
        { "resnet34", 21_797_672, 21_284_672, 36 },
        { "resnet50", 25_557_032, 23_508_032, 53 },
        { "resnet101", 44_549_160, 42_500_160, 104 },
        { "resnet152", 60_192_808, 58_143_808, 155 },
    };

    [Theory]
    [MemberData(nameof(FullSize))]
    public void FullSizeMatchesTorchvision(string name, long parameters, long withoutHead, int convolutions)
    {
        var info = Architectures.ResNetFamily.Single(a => a.Name == name);
        using var model = info.CreateImageNet();
        Assert.IsType<ResNet>(model);
        Assert.Equal(parameters, model.ParameterCount());
        Assert.Equal(withoutHead, model.ParameterCount() - model.Head.ParameterCount());
        Assert.Equal(parameters, info.ParameterCount);
        Assert.Equal(withoutHead, info.ParameterCountWithoutHead);
        Assert.Equal(["stem", "layer1", "layer2", "layer3", "layer4"], model.Units.Select(u => u.Name));
        Assert.Equal(info.Units, model.Units.Select(u => u.Name));
        Assert.Equal("fc", model.HeadName);
        Assert.Equal(info.HeadName, model.HeadName);
        Assert.Equal(info.FeatureDimension, model.FeatureChannels);
        // Every convolution of a ResNet is followed directly by its BN: the stem, each block's, each shortcut's.
        Assert.Equal(convolutions, model.NamedModules().Count(kv => kv.Value is Conv2d));
        TorchvisionModelChecks.PairsAreDistinctModules(model, convolutions);
        if (name is "resnet18" or "resnet50") TorchvisionModelChecks.KeysMatchTorchvision(model, name);

        model.Eval();
        using var scope = TensorScope.Begin();
        var x = TorchvisionModelChecks.Input(1, 32);
        var features = model.ForwardUnits(x, 0, model.Units.Count);
        Assert.Equal(new Shape(1, model.FeatureChannels, 1, 1), features.Shape);
        Assert.Equal(new Shape(1, 1000), model.ForwardHead(features).Shape);
    }

    [Fact]
    public void CatalogStatesTheCitedWeights()
    {
        Assert.Equal(["resnet18", "resnet34", "resnet50", "resnet101", "resnet152"], Architectures.ResNetFamily.Select(a => a.Name));
        Assert.Same(Architectures.ResNet50, Architectures.ResNetFamily[2]);
        Assert.Equal(new PreprocessingSpec(224, 232, ResizeInterpolation.Bilinear, NormalizationSpec.ImageNet), Architectures.ResNet50.Preprocessing);
        Assert.Equal(PreprocessingSpec.ImageNet224, Architectures.ResNet18.Preprocessing);
        Assert.Equal((80.858, 95.434), (Architectures.ResNet50.Top1, Architectures.ResNet50.Top5));
        Assert.Contains("ResNet50_Weights.IMAGENET1K_V2", Architectures.ResNet50.AccuracySource, StringComparison.Ordinal);
        Assert.Equal([1.81, 3.66, 4.09, 7.80, 11.51], Architectures.ResNetFamily.Select(a => a.GigaFlops));
        Assert.All(Architectures.ResNetFamily, a => a.Preprocessing.Validate());
    }

    [Theory]
    [InlineData(ResNetBlockKind.Basic)]
    [InlineData(ResNetBlockKind.Bottleneck)]
    public void TinyVariantHasTorchvisionShapes(ResNetBlockKind block)
    {
        var config = new ResNetConfig(block, [1, 2, 1, 1], Width: 4);
        using var model = new ResNet(config, classes: 3, seed: 5);
        int expansion = block == ResNetBlockKind.Bottleneck ? 4 : 1;
        Assert.Equal(32 * expansion, model.FeatureChannels);
        var state = model.StateDict();
        Assert.Equal(new Shape(4, 3, 7, 7), state["conv1.weight"].Shape);
        Assert.Equal(new Shape(3, 32 * expansion), state["fc.weight"].Shape);
        // layer2 halves the resolution in its first block (with a projection) and keeps it in the second (identity).
        Assert.True(state.ContainsKey("layer2.0.downsample.0.weight"));
        Assert.False(state.ContainsKey("layer2.1.downsample.0.weight"));
        Assert.Equal(block == ResNetBlockKind.Bottleneck, state.ContainsKey("layer1.0.downsample.1.running_var"));
        string strided = block == ResNetBlockKind.Bottleneck ? "layer2.0.conv2" : "layer2.0.conv1";
        var conv = (Conv2d)model.NamedModules().Single(kv => kv.Key == strided).Value;
        Assert.Equal(2, conv.Options.StrideHeight);

        model.Eval();
        using var scope = TensorScope.Begin();
        var x = TorchvisionModelChecks.Input(2, 40);
        Assert.Equal(new Shape(2, 32 * expansion, 2, 2), model.ForwardUnits(x, 0, 5).Shape);
        Assert.Equal(new Shape(2, 3), model.Forward(x).Shape);
    }

    [Theory]
    [InlineData(ResNetBlockKind.Basic)]
    [InlineData(ResNetBlockKind.Bottleneck)]
    public void UnitsComposeToForward(ResNetBlockKind block)
    {
        using var model = new ResNet(new ResNetConfig(block, [1, 1, 2, 1], Width: 4), classes: 4, seed: 2);
        using var x = TorchvisionModelChecks.Input(2, 36);
        TorchvisionModelChecks.UnitsComposeToForward(model, x);
    }

    [Fact]
    public void ReplaceHead()
    {
        using var model = new ResNet(new ResNetConfig(ResNetBlockKind.Bottleneck, [1, 1, 1, 1], Width: 4), classes: 5);
        using var x = TorchvisionModelChecks.Input(3, 32);
        TorchvisionModelChecks.ReplaceHeadWorks(model, () => new Linear(model.FeatureChannels, 2, new Random(1)), 2, x);
    }

    [Fact]
    public void SeedDecidesTheWeights()
    {
        var config = new ResNetConfig(ResNetBlockKind.Basic, [1, 1, 1, 1], Width: 4);
        using var a = new ResNet(config, 5, seed: 3);
        using var b = new ResNet(config, 5, seed: 3);
        using var c = new ResNet(config, 5, seed: 4);
        Assert.Equal(a.StateDict()["layer3.0.conv2.weight"].ToArray(), b.StateDict()["layer3.0.conv2.weight"].ToArray());
        Assert.NotEqual(a.StateDict()["layer3.0.conv2.weight"].ToArray(), c.StateDict()["layer3.0.conv2.weight"].ToArray());
    }

    [Fact]
    public void InvalidConfigsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new ResNet(new ResNetConfig(ResNetBlockKind.Basic, [2, 2, 2])));
        Assert.Throws<ArgumentException>(() => new ResNet(new ResNetConfig(ResNetBlockKind.Basic, [2, 0, 2, 2])));
        Assert.Throws<ArgumentException>(() => new ResNet(new ResNetConfig(ResNetBlockKind.Basic, [1, 1, 1, 1], Width: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResNet(ResNetConfig.ResNet18 with { Width = 4 }, classes: 0));
    }
}

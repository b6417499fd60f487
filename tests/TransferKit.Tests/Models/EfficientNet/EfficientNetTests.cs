using System.Globalization;
using TransferKit.Models;
using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Tests.Golden;
using static TransferKit.Tests.Models.MobileFamilyTestKit;

namespace TransferKit.Tests.Models;

/// <summary>EfficientNet-B0 against torchvision 0.14's efficientnet_b0: sizes, keys, units, stochastic depth, and a reduced model's outputs.</summary>
public class EfficientNetTests
{
    /// <summary>EFF_ROWS of tools/fixtures/models_mobile_efficient.py: B0's first three stages, width 0.5, depth 1.5.</summary>
    private static EfficientNetOptions TinyOptions(int classes = 5, int seed = 0) => new()
    {
        Stages = [new(1, 3, 1, 32, 16, 1), new(6, 3, 2, 16, 24, 1), new(6, 5, 2, 24, 40, 1)],
        WidthMultiplier = 0.5,
        DepthMultiplier = 1.5,
        Classes = classes,
        Seed = seed,
    };

    [Fact]
    public void FullSizeHasTorchvisionsParameterCountsKeysAndUnits()
    {
        using var model = new EfficientNet();
        Assert.Equal(5_288_548, model.ParameterCount());
        Assert.Equal(4_007_548, ParametersWithoutHead(model));
        AssertMatchesTorchvision(model, "efficientnet_b0");

        var info = Architectures.EfficientNetB0;
        Assert.Equal(info.ParameterCount, model.ParameterCount());
        Assert.Equal(info.ParameterCountWithoutHead, ParametersWithoutHead(model));
        Assert.Equal(1280, model.FeatureChannels);
        Assert.Equal(info.FeatureDimension, model.FeatureChannels);
        Assert.Equal(info.HeadName, model.HeadName);
        Assert.Equal(info.Units, model.Units.Select(u => u.Name));
        Assert.Equal(9, model.Units.Count);
        Assert.Equal(ResizeInterpolation.Bicubic, info.Preprocessing.Interpolation);
        AssertEveryBatchNormPaired(model);
        // torchvision's B0 keeps PyTorch's BN defaults (only B5..B7 and V2 pass eps 1e-3).
        Assert.All(model.NamedModules().Select(kv => kv.Value).OfType<BatchNorm2d>(), bn =>
        {
            Assert.Equal(1e-5f, bn.Eps);
            Assert.Equal(0.1f, bn.Momentum);
        });
    }

    [Fact]
    public void StochasticDepthProbabilitiesFollowTorchvision()
    {
        using var f = GoldenFixture.Load("Models/efficientnet_tiny");
        using var b0 = new EfficientNet();
        AssertProbabilities(f.Meta("b0_sd_probs"), b0.StochasticDepthProbabilities);
        using var tiny = new EfficientNet(TinyOptions());
        AssertProbabilities(f.Meta("sd_probs"), tiny.StochasticDepthProbabilities);

        static void AssertProbabilities(string expected, IReadOnlyList<float> actual)
        {
            var values = expected.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(values.Length, actual.Count);
            for (int i = 0; i < values.Length; i++) Assert.Equal(values[i], actual[i], 1e-7);
        }
    }

    [Fact]
    public void FullSizeRunsOnASmallImage()
    {
        using var model = (EfficientNet)Architectures.EfficientNetB0.Create(6, 4);
        using var input = Tensor.Full(new Shape(1, 3, 32, 32), 0.5f);
        AssertUnitsComposeToForward(model, input, 6);
    }

    [Fact]
    public void UnitsComposeToForwardAndHeadCanBeReplaced()
    {
        using var model = new EfficientNet(TinyOptions(classes: 3, seed: 9));
        using var input = Tensor.Full(new Shape(2, 3, 32, 32), 0.3f);
        AssertUnitsComposeToForward(model, input, 3);
        Assert.Equal(["features.0", "features.1", "features.2", "features.3", "features.4"], model.Units.Select(u => u.Name));
        model.ReplaceHead(new Linear(model.FeatureChannels, 2, new Random(1)));
        AssertUnitsComposeToForward(model, input, 2);
    }

    [Fact]
    public void ReducedModelMatchesTorchvision()
    {
        using var model = new EfficientNet(TinyOptions());
        AssertMatchesFixture(model, "efficientnet_tiny");
    }

    [Fact]
    public void InvalidOptionsAreRejectedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => new EfficientNet(new EfficientNetOptions { StochasticDepthProbability = 1.5f }));
        Assert.Contains("StochasticDepthProbability", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => new EfficientNet(new EfficientNetOptions { Stages = [new(1, 3, 1, 32, 16, 1), new(6, 3, 2, 24, 24, 1)] }));
        Assert.Contains("Stages[1]", e.Message, StringComparison.Ordinal);
    }
}

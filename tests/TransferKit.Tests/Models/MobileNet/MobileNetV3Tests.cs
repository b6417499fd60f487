using TransferKit.Models;
using TransferKit.Nn;
using TransferKit.Tensors;
using static TransferKit.Tests.Models.MobileFamilyTestKit;

namespace TransferKit.Tests.Models;

/// <summary>MobileNetV3-Large against torchvision 0.14's mobilenet_v3_large: sizes, keys, units, BN settings, and a reduced model's outputs.</summary>
public class MobileNetV3Tests
{
    /// <summary>The rows of tools/fixtures/models_mobile_efficient.py's V3_ROWS (width 0.5, last channel 96).</summary>
    private static readonly MobileNetV3BlockSpec[] TinyBlocks =
    [
        new(16, 3, 16, 16, true, false, 2),
        new(16, 3, 64, 24, false, false, 2),
        new(24, 3, 72, 24, false, false, 1),
        new(24, 5, 72, 40, true, true, 2),
        new(40, 5, 120, 40, true, true, 1),
        new(40, 3, 120, 48, true, true, 2, Dilation: 2),
    ];

    private static MobileNetV3Options TinyOptions(int classes = 5, int seed = 0) =>
        new() { Blocks = TinyBlocks, WidthMultiplier = 0.5, LastChannel = 96, Classes = classes, Seed = seed };

    [Fact]
    public void FullSizeHasTorchvisionsParameterCountsKeysAndUnits()
    {
        using var model = new MobileNetV3();
        Assert.Equal(5_483_032, model.ParameterCount());
        Assert.Equal(2_971_952, ParametersWithoutHead(model));
        AssertMatchesTorchvision(model, "mobilenet_v3_large");

        var info = Architectures.MobileNetV3Large;
        Assert.Equal(info.ParameterCount, model.ParameterCount());
        Assert.Equal(info.ParameterCountWithoutHead, ParametersWithoutHead(model));
        Assert.Equal(960, model.FeatureChannels);
        Assert.Equal(info.FeatureDimension, model.FeatureChannels);
        Assert.Equal(info.HeadName, model.HeadName);
        Assert.Equal(info.Units, model.Units.Select(u => u.Name));
        Assert.Equal(17, model.Units.Count);
        AssertEveryBatchNormPaired(model);

        // torchvision's MobileNetV3 uses TensorFlow's BN settings throughout.
        Assert.All(model.NamedModules().Select(kv => kv.Value).OfType<BatchNorm2d>(), bn =>
        {
            Assert.Equal(1e-3f, bn.Eps);
            Assert.Equal(0.01f, bn.Momentum);
        });
    }

    [Fact]
    public void FullSizeRunsOnASmallImage()
    {
        using var model = (MobileNetV3)Architectures.MobileNetV3Large.Create(3, 1);
        using var input = Tensor.Full(new Shape(1, 3, 32, 32), 0.5f);
        AssertUnitsComposeToForward(model, input, 3);
    }

    [Fact]
    public void UnitsComposeToForwardAndHeadCanBeReplaced()
    {
        using var model = new MobileNetV3(TinyOptions(classes: 4, seed: 2));
        using var input = Tensor.Full(new Shape(2, 3, 32, 32), -0.25f);
        AssertUnitsComposeToForward(model, input, 4);
        Assert.Equal(8, model.Units.Count);
        model.ReplaceHead(new Sequential(new Linear(model.FeatureChannels, 2, new Random(1))));
        AssertUnitsComposeToForward(model, input, 2);
    }

    [Fact]
    public void ReducedModelMatchesTorchvision()
    {
        using var model = new MobileNetV3(TinyOptions());
        AssertMatchesFixture(model, "mobilenet_v3_tiny");
    }

    [Fact]
    public void InvalidOptionsAreRejectedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => new MobileNetV3(new MobileNetV3Options { Blocks = [new(16, 3, 16, 16, false, false, 1), new(24, 3, 72, 24, false, false, 1)] }));
        Assert.Contains("Blocks[1]", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => new MobileNetV3(new MobileNetV3Options { Dropout = 1f }));
        Assert.Contains("Dropout", e.Message, StringComparison.Ordinal);
    }
}

using TransferKit.Models;
using TransferKit.Nn;
using TransferKit.Tensors;
using static TransferKit.Tests.Models.MobileFamilyTestKit;

namespace TransferKit.Tests.Models;

/// <summary>MobileNetV2 against torchvision 0.14's mobilenet_v2: sizes, keys, units, composition, and a reduced model's outputs.</summary>
public class MobileNetV2Tests
{
    private static readonly MobileNetV2Stage[] TinyStages = [new(1, 16, 1, 1), new(6, 24, 2, 2), new(6, 32, 2, 2)];

    [Fact]
    public void FullSizeHasTorchvisionsParameterCountsKeysAndUnits()
    {
        using var model = new MobileNetV2();
        Assert.Equal(3_504_872, model.ParameterCount());
        Assert.Equal(2_223_872, ParametersWithoutHead(model));
        // The seed article's Keras summary lists these BN moving statistics as "non-trainable params".
        Assert.Equal(34_112, BufferElementsWithoutHead(model));
        AssertMatchesTorchvision(model, "mobilenet_v2");

        var info = Architectures.MobileNetV2;
        Assert.Equal(info.ParameterCount, model.ParameterCount());
        Assert.Equal(info.ParameterCountWithoutHead, ParametersWithoutHead(model));
        Assert.Equal(info.FeatureDimension, model.FeatureChannels);
        Assert.Equal(info.HeadName, model.HeadName);
        Assert.Equal(info.Units, model.Units.Select(u => u.Name));
        Assert.Equal(19, model.Units.Count);
        Assert.Equal("features.18", model.Units[^1].Name);
        AssertEveryBatchNormPaired(model);
    }

    [Fact]
    public void FullSizeRunsOnASmallImage()
    {
        using var model = (MobileNetV2)Architectures.MobileNetV2.Create(7, 3);
        using var input = Tensor.Full(new Shape(1, 3, 32, 32), 0.5f);
        AssertUnitsComposeToForward(model, input, 7);
    }

    [Fact]
    public void WidthQuarterFollowsTorchvisionsRounding()
    {
        using var model = new MobileNetV2(new MobileNetV2Options { WidthMultiplier = 0.25, Classes = 5 });
        var state = model.StateDict();
        // Shapes printed by torchvision 0.14's mobilenet_v2(width_mult=0.25, num_classes=5).
        Assert.Equal(new Shape(8, 3, 3, 3), state["features.0.0.weight"].Shape);          // 32 * 0.25 = 8
        Assert.Equal(new Shape(8, 8, 1, 1), state["features.1.conv.1.weight"].Shape);      // 16 * 0.25 = 4, raised to the minimum 8
        Assert.Equal(new Shape(240, 1, 3, 3), state["features.17.conv.1.0.weight"].Shape); // 160 * 0.25 = 40 in, hidden 6 * 40
        Assert.Equal(new Shape(80, 240, 1, 1), state["features.17.conv.2.weight"].Shape);  // 320 * 0.25 = 80 out
        Assert.Equal(new Shape(1280, 80, 1, 1), state["features.18.0.weight"].Shape);     // the last conv keeps 1280 below width 1
        Assert.Equal(1280, model.FeatureChannels);
    }

    [Fact]
    public void UnitsComposeToForwardAndHeadCanBeReplaced()
    {
        using var model = new MobileNetV2(new MobileNetV2Options { WidthMultiplier = 0.25, Stages = TinyStages, Classes = 4, Seed = 5 });
        using var input = Tensor.Full(new Shape(2, 3, 32, 32), 0.25f);
        AssertUnitsComposeToForward(model, input, 4);
        Assert.Equal(["features.0", "features.1", "features.2", "features.3", "features.4", "features.5", "features.6"], model.Units.Select(u => u.Name));

        model.ReplaceHead(new Linear(model.FeatureChannels, 2, new Random(1)));
        Assert.Equal(["classifier.weight", "classifier.bias"], model.NamedParameters().Select(kv => kv.Key).Where(k => k.StartsWith("classifier", StringComparison.Ordinal)));
        AssertUnitsComposeToForward(model, input, 2);
    }

    [Fact]
    public void ReducedModelMatchesTorchvision()
    {
        using var model = new MobileNetV2(new MobileNetV2Options { WidthMultiplier = 0.25, Stages = TinyStages, Classes = 5 });
        AssertMatchesFixture(model, "mobilenet_v2_tiny");
    }

    [Fact]
    public void InvalidOptionsAreRejectedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => new MobileNetV2(new MobileNetV2Options { WidthMultiplier = 0 }));
        Assert.Contains("WidthMultiplier", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => new MobileNetV2(new MobileNetV2Options { Stages = [new(6, 24, 2, 3)] }));
        Assert.Contains("Stages[0]", e.Message, StringComparison.Ordinal);
    }
}

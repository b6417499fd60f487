using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Tensors;

namespace TransferKit.Tests.Models.Heads;

public class ClassifierHeadTests
{
    [Fact]
    public void SeedHeadGapThenOneSigmoidOnMobileNetV2Features()
    {
        var spec = HeadSpec.Pooled().WithOutput(HeadOutput.Sigmoid);
        using var head = new ClassifierHead(spec, channels: 1280, height: 7, width: 7, classes: 2, new Random(1));
        Assert.Equal(1280 + 1, head.ParameterCount());
        using var scope = TensorScope.Begin();
        Assert.Equal(new Shape(3, 1), head.Forward(Tensor.Zeros(3, 1280, 7, 7)).Shape);
        Assert.Equal("average → sigmoid(1)", spec.Describe(2));
    }

    [Fact]
    public void SeedHeadFlattenThenThreeBlocksOnResNet50Features()
    {
        // Flatten, [BN, Dense 256, Dropout 0.5], [BN, Dense 128, Dropout 0.5], [BN, Dense 64, Dropout 0.5], Dense 10 softmax.
        var spec = HeadSpec.Flattened().Hidden(256, 128, 64).BatchNorm().Dropout(0.5f);
        using var head = new ClassifierHead(spec, channels: 2048, height: 7, width: 7, classes: 10, new Random(1));
        long flat = 2048 * 7 * 7;
        long expected = 2 * flat + (flat * 256 + 256) + 2 * 256 + (256 * 128 + 128) + 2 * 128 + (128 * 64 + 64) + (64 * 10 + 10);
        Assert.Equal(expected, head.ParameterCount());
        Assert.Equal(2 * (100352 + 256 + 128), head.NamedBuffers().Sum(kv => kv.Value.Length));
        Assert.Equal("flatten → [BN, Linear 256, ReLU, Dropout 0.5] → [BN, Linear 128, ReLU, Dropout 0.5] → [BN, Linear 64, ReLU, Dropout 0.5] → softmax(10)",
            spec.Describe(10));
        Assert.Contains("0.running_mean", head.StateDict().Keys);
        Assert.Contains("12.weight", head.StateDict().Keys);
    }

    [Theory]
    [InlineData(HeadPooling.Average, 6)]
    [InlineData(HeadPooling.Max, 6)]
    [InlineData(HeadPooling.Concat, 12)]
    [InlineData(HeadPooling.Flatten, 6 * 3 * 2)]
    public void PoolingDecidesTheInputWidthAndGradientsFlow(HeadPooling pooling, int features)
    {
        using var head = new ClassifierHead(HeadSpec.Pooled(pooling).Hidden(5).BatchNorm().Dropout(0.2f), 6, 3, 2, classes: 4, new Random(2));
        Assert.Equal(features, head.InputFeatures);
        using var scope = TensorScope.Begin();
        using var tape = Tape.Begin();
        var map = Tensor.Zeros(4, 6, 3, 2);
        var s = map.Span;
        for (int i = 0; i < s.Length; i++) s[i] = MathF.Sin(i);
        var logits = head.Forward(map);
        Assert.Equal(new Shape(4, 4), logits.Shape);
        tape.Backward(Ops.CrossEntropy(logits, [0, 1, 2, 3]));
        Assert.All(head.NamedParameters(), kv => Assert.NotNull(kv.Value.Grad));
    }

    [Fact]
    public void ValidationNamesTheOption()
    {
        Assert.Contains("Sigmoid", Assert.Throws<ArgumentException>(() => HeadSpec.Pooled().WithOutput(HeadOutput.Sigmoid).Validate(3)).Message);
        Assert.Contains("HiddenLayers[1].Units", Assert.Throws<ArgumentException>(() => HeadSpec.Pooled().Hidden(4, 0).Validate(2)).Message);
        Assert.Contains("Dropout", Assert.Throws<ArgumentException>(() => HeadSpec.Pooled().Hidden(4).Dropout(1f).Validate(2)).Message);
        Assert.Contains("OutputDropout", Assert.Throws<ArgumentException>(() => HeadSpec.Pooled().Dropout(-0.1f).Validate(2)).Message);
    }
}

public class ArchitecturesCatalogTests
{
    [Fact]
    public void EveryArchitectureIsListedOnceAndFoundByName()
    {
        var names = Architectures.All.Select(a => a.Name).ToArray();
        Assert.Equal(["resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "mobilenet_v2", "mobilenet_v3_large", "efficientnet_b0", "inception_v3", "vgg16", "densenet121"], names);
        Assert.Same(Architectures.ResNet50, Architectures.Get("ResNet50"));
        Assert.Contains("densenet121", Assert.Throws<ArgumentException>(() => Architectures.Get("alexnet")).Message);
        Assert.All(Architectures.All, a => Assert.True(a.ParameterCountWithoutHead < a.ParameterCount && a.Units.Count > 0 && a.Top1 > 60));
    }
}

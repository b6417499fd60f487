using TransferKit.Api;
using TransferKit.Autograd;
using TransferKit.Training.Freezing;
using TransferKit.Models.Onnx;
using TransferKit.Tensors;
using TransferKit.Weights.Onnx;
using Xunit.Abstractions;

namespace TransferKit.Tests.Models.Onnx;

/// <summary>Imported graphs as transfer-learning backbones: units cut where one tensor crosses, a new head, freezing.</summary>
public class OnnxBackboneTests(ITestOutputHelper output)
{
    private static string Residual => Path.Combine(OnnxRuntimeOracle.FixtureFolder, "residual.onnx");

    [Fact]
    public void UnitsAreStemAndResidualBlocksAndRunTheGraphToItsFeatureMap()
    {
        var info = OnnxBackbone.Load(Residual, new OnnxBackboneOptions { Name = "tiny" });
        Assert.Equal(["stem", "block1", "block2"], info.Units);
        Assert.Equal(12, info.FeatureDimension);
        using var backbone = (OnnxBackbone)info.Create(3, 0);
        backbone.Eval();
        // The file's own classifier (fc: 12 * 4 + 4) is dropped; the new head has 12 * 3 + 3.
        Assert.Equal(backbone.Graph.ParameterCount() - 52 + 39, backbone.ParameterCount());
        Assert.Contains(backbone.NamedParameters(), kv => kv.Key == "block2.onnx::Conv_38" || kv.Key.StartsWith("block2.", StringComparison.Ordinal));

        using var scope = TensorScope.Begin();
        using var x = Tensor.FromSpan(OnnxRuntimeOracle.RandomInput(2, [2, 3, 24, 24]), new Shape(2, 3, 24, 24));
        var features = backbone.ForwardUnits(x, 0, backbone.Units.Count);
        Assert.Equal(new Shape(2, 12, 3, 3), features.Shape);
        var stepwise = backbone.ForwardUnits(backbone.ForwardUnits(x, 0, 1), 1, backbone.Units.Count);
        Assert.Equal(features.ToArray(), stepwise.ToArray());
        Assert.Equal(new Shape(2, 3), backbone.Forward(x).Shape);
    }

    [Fact]
    public void FrozenUnitsGetNoGradientAndTheRestTrains()
    {
        using var backbone = OnnxBackbone.Create(OnnxModel.Load(Residual), new OnnxBackboneOptions(), 3, 1);
        foreach (var module in backbone.Units[0].Modules) module.SetTrainable(false);
        backbone.Train();
        using var scope = TensorScope.Begin();
        using var tape = Tape.Begin();
        using var x = Tensor.FromSpan(OnnxRuntimeOracle.RandomInput(4, [4, 3, 24, 24]), new Shape(4, 3, 24, 24));
        var loss = Ops.CrossEntropy(backbone.Forward(x), [0, 1, 2, 0]);
        tape.Backward(loss);
        Assert.All(backbone.Units[0].Modules.SelectMany(m => m.NamedParameters()), kv => Assert.Null(kv.Value.Grad));
        Assert.All(backbone.Units[2].Modules.SelectMany(m => m.NamedParameters()), kv => Assert.Contains(kv.Value.Grad!.ToArray(), g => g != 0));
        Assert.True(backbone.Head.NamedParameters().All(kv => kv.Value.Grad is not null));
    }

    [Fact]
    public void MlNetResNet18BecomesStemAndNineBlocksOf512Features()
    {
        var info = OnnxBackbone.Load(Path.Combine(MlNetResNet18Tests.ModelsFolder, "ResNet18Onnx", "ResNet18.onnx"),
            new OnnxBackboneOptions { Name = "mlnet_resnet18", Preprocessing = OnnxPreprocessing.MlNetResNet18 });
        using (var probe = (OnnxBackbone)info.Create(2, 0))
            output.WriteLine(string.Join(", ", probe.Units.Select(u => u.Name + ":" + ((OnnxSegment)u.Modules[0]).OutputName)));
        Assert.Equal(512, info.FeatureDimension);
        // CNTK's "ResNet-18" has 22 convolutions: a third 512-channel basic block (2 x 512 x 512 x 9 = 4.72M weights, exactly
        // what it has beyond torchvision's 11.18M without the classifier), so nine residual blocks after the stem.
        Assert.Equal(["stem", "block1", "block2", "block3", "block4", "block5", "block6", "block7", "block8", "block9"], info.Units);
        Assert.Equal(15_897_152, info.ParameterCountWithoutHead);
    }

    [Fact]
    public void ImageClassifierBuildsOnAnOnnxBackboneWithItsUnits()
    {
        using var frozen = ImageClassifier.Create().UseOnnxBackbone(Residual).WithInputSize(24).WithClasses("a", "b", "c").Build();
        // Backbone weights of the fixture less its own classifier (12 * 4 + 4); the default head is 12 * 3 + 3.
        long backbone;
        using (var probe = OnnxNetwork.Load(Residual)) backbone = probe.ParameterCount() - 52;
        Assert.Equal(39, frozen.TrainableParameterCount);
        Assert.Equal(backbone, frozen.FrozenParameterCount);
        using var partly = ImageClassifier.Create().UseOnnxBackbone(Residual).Freeze(FreezeDepth.FirstUnits(2)).WithInputSize(24)
            .WithClasses("a", "b", "c").Build();
        Assert.True(partly.TrainableParameterCount > 39 && partly.FrozenParameterCount < backbone);
    }
}

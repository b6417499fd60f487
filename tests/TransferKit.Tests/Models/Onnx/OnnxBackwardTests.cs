using TransferKit.Models.Onnx;
using TransferKit.Tensors;
using static TransferKit.Tests.Autograd.GradientCheck;

namespace TransferKit.Tests.Models.Onnx;

/// <summary>
/// Backward through whole imported graphs: the tape's gradients of the input and of sampled imported parameters against
/// central finite differences of the network's own forward pass.
/// </summary>
public class OnnxBackwardTests
{
    [Theory]
    [InlineData("legacy_opset8.onnx", 17, "W2", "B1")]
    [InlineData("convs.onnx", 20, "conv2.weight", "fc.weight")]
    [InlineData("pools.onnx", 15, "conv.weight", "w")]
    [InlineData("residual.onnx", 24, "fc.weight", "fc.bias")]
    public void GradientsMatchFiniteDifferences(string file, int size, string first, string second)
    {
        using var network = OnnxNetwork.Load(Path.Combine(OnnxRuntimeOracle.FixtureFolder, file));
        network.Eval();
        var parameters = network.NamedParameters().ToDictionary(kv => kv.Key, kv => kv.Value.Value);
        using var x = Leaf(new Random(3), -1, 1, 2, 3, size, size);
        Check($"{file} backward", _ => network.Forward(x), [x, parameters[first], parameters[second]], maxElements: 12);
    }

    [Fact]
    public void TrainingModeUpdatesBatchNormBuffersWithOnnxMomentum()
    {
        using var network = OnnxNetwork.Load(Path.Combine(OnnxRuntimeOracle.FixtureFolder, "legacy_opset8.onnx"));
        var mean = network.NamedBuffers().First(kv => kv.Key == "mean").Value;
        var before = mean.ToArray();
        network.Train();
        using (var scope = TensorScope.Begin())
        {
            using var x = Tensor.FromSpan(OnnxRuntimeOracle.RandomInput(1, [4, 3, 17, 17]), new Shape(4, 3, 17, 17));
            network.Forward(x);
        }
        var after = mean.ToArray();
        Assert.NotEqual(before, after);
    }
}

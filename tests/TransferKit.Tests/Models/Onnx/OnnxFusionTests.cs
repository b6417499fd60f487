using TransferKit.Autograd;
using TransferKit.Models.Onnx;
using TransferKit.Tensors;
using Xunit.Abstractions;

namespace TransferKit.Tests.Models.Onnx;

/// <summary>
/// Imported graphs run their Conv [BN] [Add] [activation] chains as fused convolutions in evaluation mode, and give what the
/// node-by-node graph gives (the path a recording tape takes).
/// </summary>
public class OnnxFusionTests(ITestOutputHelper output)
{
    public static TheoryData<string, int, int, int> Graphs => new()
    {
        { Path.Combine(OnnxRuntimeOracle.FixtureFolder, "residual.onnx"), 24, 2, 5 },
        { Path.Combine(OnnxRuntimeOracle.FixtureFolder, "legacy_opset8.onnx"), 17, 2, 1 },
        { Path.Combine(OnnxRuntimeOracle.FixtureFolder, "convs.onnx"), 20, 2, 2 },
        { Path.Combine(MlNetResNet18Tests.ModelsFolder, "ResNet18Onnx", "ResNet18.onnx"), 224, 1, 22 },
    };

    [Theory]
    [MemberData(nameof(Graphs))]
    public void FusedChainsMatchTheNodeByNodeGraph(string path, int size, int batch, int fused)
    {
        using var network = OnnxNetwork.Load(path);
        network.Eval();
        network.FusionEnabled = true;
        Assert.Equal(fused, network.FusedConvolutionCount);
        int[] dims = [batch, 3, size, size];
        var input = OnnxRuntimeOracle.RandomInput(7, dims, scale: 50f);
        var plain = NodeByNode(network, input, dims);
        var fast = OnnxRuntimeOracle.Ours(network, input, dims);
        double error = OnnxRuntimeOracle.MaxRelativeError(fast, plain);
        output.WriteLine($"{Path.GetFileName(path)}: {network.FusedConvolutionCount} fused convolutions, max relative error {error:G3}");
        Assert.True(error <= Tolerances.OnnxRuntimeRelative, $"max relative error {error:G3}");
    }

    [Fact]
    public void FoldedWeightsFollowStatisticsAfterARefresh()
    {
        using var network = OnnxNetwork.Load(Path.Combine(OnnxRuntimeOracle.FixtureFolder, "legacy_opset8.onnx"));
        network.Eval();
        network.FusionEnabled = true;
        int[] dims = [1, 3, 17, 17];
        var input = OnnxRuntimeOracle.RandomInput(3, dims);
        OnnxRuntimeOracle.Ours(network, input, dims);
        foreach (var (_, buffer) in network.NamedBuffers()) buffer.Span.Fill(0.5f);
        network.RefreshFusedWeights();
        var fast = OnnxRuntimeOracle.Ours(network, input, dims);
        Assert.True(OnnxRuntimeOracle.MaxRelativeError(fast, NodeByNode(network, input, dims)) <= Tolerances.OnnxRuntimeRelative);
    }

    [Fact]
    public void FusionIsOffUnlessSwitchedOn()
    {
        using var network = OnnxNetwork.Load(Path.Combine(OnnxRuntimeOracle.FixtureFolder, "legacy_opset8.onnx"));
        network.Eval();
        int[] dims = [1, 3, 17, 17];
        var input = OnnxRuntimeOracle.RandomInput(5, dims);
        Assert.Equal(NodeByNode(network, input, dims), OnnxRuntimeOracle.Ours(network, input, dims));
        network.FusionEnabled = true;
        Assert.NotEqual(NodeByNode(network, input, dims), OnnxRuntimeOracle.Ours(network, input, dims));
    }

    [Fact]
    public void ARecordedPassRefoldsBeforeTheNextFusedOne()
    {
        using var network = OnnxNetwork.Load(Path.Combine(OnnxRuntimeOracle.FixtureFolder, "legacy_opset8.onnx"));
        network.Eval();
        network.FusionEnabled = true;
        int[] dims = [1, 3, 17, 17];
        var input = OnnxRuntimeOracle.RandomInput(4, dims);
        OnnxRuntimeOracle.Ours(network, input, dims);
        foreach (var (_, parameter) in network.NamedParameters()) parameter.Value.Span[0] += 0.25f;
        var plain = NodeByNode(network, input, dims);
        var fast = OnnxRuntimeOracle.Ours(network, input, dims);
        Assert.True(OnnxRuntimeOracle.MaxRelativeError(fast, plain) <= Tolerances.OnnxRuntimeRelative);
    }

    // A recording tape makes every node run on its own, as in training.
    private static float[] NodeByNode(OnnxNetwork network, float[] input, int[] dims)
    {
        using var scope = TensorScope.Begin();
        using var tape = Tape.Begin();
        using var x = Tensor.FromSpan(input, new Shape(dims));
        return network.Forward(x).ToArray();
    }
}

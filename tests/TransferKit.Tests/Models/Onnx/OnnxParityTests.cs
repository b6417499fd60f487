using TransferKit.Models.Onnx;
using Xunit.Abstractions;

namespace TransferKit.Tests.Models.Onnx;

/// <summary>
/// Imported fixture graphs (tools/fixtures/make_onnx_fixtures.py: torch 1.13 exports at opset 13, and an opset-8 graph written
/// as CNTK writes) against ONNX Runtime 1.32 on the same file and input, in evaluation mode.
/// </summary>
public class OnnxParityTests(ITestOutputHelper output)
{
    public static TheoryData<string, int, int, int> Fixtures => new()
    {
        { "convs.onnx", 3, 20, 2 },
        { "pools.onnx", 3, 15, 3 },
        { "residual.onnx", 3, 24, 1 },
        { "legacy_opset8.onnx", 3, 17, 1 },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void MatchesOnnxRuntime(string file, int channels, int size, int batch)
    {
        string path = Path.Combine(OnnxRuntimeOracle.FixtureFolder, file);
        using var network = OnnxNetwork.Load(path);
        network.Eval();
        int[] dims = [batch, channels, size, size];
        var input = OnnxRuntimeOracle.RandomInput(file.Length, dims);
        var expected = OnnxRuntimeOracle.Run(path, input, dims);
        var ours = OnnxRuntimeOracle.Ours(network, input, dims);
        double error = OnnxRuntimeOracle.MaxRelativeError(ours, expected);
        output.WriteLine($"{file}: max relative error {error:G3} over {ours.Length} outputs; ops {string.Join(", ", network.OperatorCounts.Keys)}");
        Assert.True(error <= Tolerances.OnnxRuntimeRelative, $"{file}: max relative error {error:G3}");
    }

    [Theory]
    [InlineData("residual.onnx", 24)]
    [InlineData("legacy_opset8.onnx", 17)]
    public void FileWithBatchFixedToOneRunsAnyBatch(string file, int size)
    {
        using var network = OnnxNetwork.Load(Path.Combine(OnnxRuntimeOracle.FixtureFolder, file));
        network.Eval();
        Assert.Equal(1L, network.InputDims[0]);
        int[] one = [1, 3, size, size], three = [3, 3, size, size];
        var input = OnnxRuntimeOracle.RandomInput(5, three);
        var batched = OnnxRuntimeOracle.Ours(network, input, three);
        int per = batched.Length / 3;
        for (int n = 0; n < 3; n++)
        {
            var single = OnnxRuntimeOracle.Ours(network, input.Skip(n * input.Length / 3).Take(input.Length / 3).ToArray(), one);
            Assert.True(OnnxRuntimeOracle.MaxRelativeError(batched.Skip(n * per).Take(per).ToArray(), single) <= Tolerances.OnnxRuntimeRelative);
        }
    }

    [Fact]
    public void InitializersAreParametersUnderTheirOnnxNamesAndStatisticsAreBuffers()
    {
        using var network = OnnxNetwork.Load(Path.Combine(OnnxRuntimeOracle.FixtureFolder, "convs.onnx"));
        var parameters = network.NamedParameters().Select(kv => kv.Key).ToList();
        Assert.Contains("conv1.weight", parameters);
        Assert.Contains("fc.weight", parameters);
        Assert.Contains("bn1.weight", parameters);
        Assert.All(network.NamedParameters(), kv => Assert.True(kv.Value.Trainable));
        var buffers = network.NamedBuffers().Select(kv => kv.Key).ToList();
        Assert.Contains("bn1.running_mean", buffers);
        Assert.Contains("bn1.running_var", buffers);
        Assert.True(network.FoldedCount > 0, "the exporter's shape arithmetic for the asymmetric pad was not folded");
    }
}

using TransferKit.Weights.Onnx;
using TransferKit.Weights.Onnx.Export;

namespace TransferKit.Tests.Weights.Onnx.Export;

/// <summary>The protobuf writer round-trips through the library's own reader: every field the exporter writes reads back.</summary>
public class OnnxModelWriterTests
{
    [Fact]
    public void AModelReadsBackFieldForField()
    {
        var weight = new OnnxTensor("w", OnnxDataType.Float, [2, 1, 1, 1], [1.5f, -2.25f], null);
        var shape = new OnnxTensor("shape", OnnxDataType.Int64, [2], null, [0, -1]);
        var attributes = new Dictionary<string, OnnxAttribute>
        {
            ["strides"] = TracedGraphBuilder.Ints("strides", 2, 300),
            ["group"] = TracedGraphBuilder.Int("group", -1),
            ["alpha"] = TracedGraphBuilder.Float("alpha", 0.125f),
            ["mode"] = new("mode", OnnxAttributeType.String, 0, 0, "constant é", null, [], []),
        };
        var graph = new OnnxGraph("g", [new OnnxNode("conv", "Conv", "", ["x", "w"], ["y"], attributes), new OnnxNode("r", "Reshape", "", ["y", "shape"], ["z"], new Dictionary<string, OnnxAttribute>())],
            new Dictionary<string, OnnxTensor> { ["w"] = weight, ["shape"] = shape },
            [new OnnxValueInfo("x", OnnxDataType.Float, [null, 1, 4, 4], ["batch", "", "", ""])],
            [new OnnxValueInfo("z", OnnxDataType.Float, [null, 32], ["batch", ""])]);
        var model = new OnnxModel("", 8, "TransferKit", new Dictionary<string, long> { [""] = 17 }, graph,
            new Dictionary<string, string> { ["k"] = "[\"a\",\"b\"]" });

        var back = OnnxModel.Parse(OnnxModelWriter.Write(model));

        Assert.Equal(8, back.IrVersion);
        Assert.Equal("TransferKit", back.ProducerName);
        Assert.Equal(17, back.Opset);
        Assert.Equal("[\"a\",\"b\"]", back.Metadata["k"]);
        Assert.Equal(["Conv", "Reshape"], back.Graph.Nodes.Select(n => n.OpType));
        var conv = back.Graph.Nodes[0];
        Assert.Equal(["x", "w"], conv.Inputs);
        Assert.Equal(["y"], conv.Outputs);
        Assert.Equal([2L, 300L], conv.Attributes["strides"].Ints);
        Assert.Equal(-1, conv.Attributes["group"].Int);
        Assert.Equal(0.125f, conv.Attributes["alpha"].Float);
        Assert.Equal("constant é", conv.Attributes["mode"].String);
        Assert.Equal([1.5f, -2.25f], back.Graph.Initializers["w"].Floats!);
        Assert.Equal([2L, 1L, 1L, 1L], back.Graph.Initializers["w"].Dims);
        Assert.Equal([0L, -1L], back.Graph.Initializers["shape"].Integers!);
        var input = Assert.Single(back.Graph.Inputs);
        Assert.Equal([null, 1L, 4L, 4L], input.Dims);
        Assert.Equal("batch", input.DimNames[0]);
    }

    [Fact]
    public void ATensorWhoseDataDoesNotFitItsDimsIsRefused()
    {
        var bad = new OnnxTensor("w", OnnxDataType.Float, [3], [1f], null);
        var graph = new OnnxGraph("g", [], new Dictionary<string, OnnxTensor> { ["w"] = bad }, [], []);
        var model = new OnnxModel("", 7, "t", new Dictionary<string, long> { [""] = 13 }, graph, new Dictionary<string, string>());
        var e = Assert.Throws<ArgumentException>(() => OnnxModelWriter.Write(model));
        Assert.Contains("'w'", e.Message, StringComparison.Ordinal);
    }
}

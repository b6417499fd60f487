using TransferKit.Models.Onnx;
using TransferKit.Tests.Models.Onnx;
using TransferKit.Weights.Onnx;
using static TransferKit.Tests.Weights.Onnx.OnnxBytes;

namespace TransferKit.Tests.Weights.Onnx;

/// <summary>The ONNX reader's decoding and its typed refusals: malformed protobuf, absurd dims, escaping external data, cycles, unknown operators.</summary>
public class OnnxModelReaderTests
{
    private static OnnxBytes FloatTensor(string name, long[] dims, float[] values)
    {
        var t = new OnnxBytes();
        foreach (long d in dims) t.Varint(1, d);
        return t.Varint(2, 1).Floats(4, values).String(8, name);
    }

    private static OnnxBytes ExternalTensor(string name, string location, long length)
    {
        var t = new OnnxBytes().Varint(1, length / 4).Varint(2, 1).String(8, name);
        t.Message(13, new OnnxBytes().String(1, "location").String(2, location));
        return t.Varint(14, 1);
    }

    [Fact]
    public void ReadsGraphAttributesAndTypedTensorData()
    {
        var model = OnnxModel.Load(Path.Combine(OnnxRuntimeOracle.FixtureFolder, "legacy_opset8.onnx"));
        Assert.Equal(8, model.Opset);
        Assert.Equal("fixture", model.ProducerName);
        var conv = model.Graph.Nodes[0];
        Assert.Equal("Conv", conv.OpType);
        Assert.Equal("SAME_UPPER", conv.Attributes["auto_pad"].String);
        Assert.Equal([2L, 2], conv.Attributes["strides"].Ints);
        var w = model.Graph.Initializers["W1"];
        Assert.Equal([6L, 3, 3, 3], w.Dims);
        Assert.Equal(162, w.Floats!.Length);
        Assert.Equal([1L, 3, 17, 17], model.Graph.Inputs[0].Dims.Select(d => d!.Value));
    }

    [Fact]
    public void TruncatedFileIsRefusedWithTheFileName()
    {
        var bytes = File.ReadAllBytes(Path.Combine(OnnxRuntimeOracle.FixtureFolder, "residual.onnx"));
        var e = Assert.Throws<OnnxModelException>(() => OnnxModel.Parse(bytes.AsSpan(0, bytes.Length - 100), "cut.onnx"));
        Assert.Contains("cut.onnx", e.Message);
        Assert.Contains("malformed", e.Message);
        Assert.Throws<OnnxModelException>(() => OnnxModel.Parse(new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, "huge-length.onnx"));
    }

    [Fact]
    public void AbsurdDimensionAndMismatchedDataAreRefused()
    {
        var huge = Model([Node("r", "Relu", ["x"], ["y"])], FloatTensor("w", [1L << 40], [1f]));
        Assert.Contains("absurd dimension", Assert.Throws<OnnxModelException>(() => OnnxModel.Parse(huge, "m")).Message);
        var overflow = Model([Node("r", "Relu", ["x"], ["y"])], FloatTensor("w", [1 << 20, 1 << 20], [1f]));
        Assert.Contains("more than", Assert.Throws<OnnxModelException>(() => OnnxModel.Parse(overflow, "m")).Message);
        var shortData = Model([Node("r", "Relu", ["x"], ["y"])], FloatTensor("w", [3], [1f, 2f]));
        Assert.Contains("'w'", Assert.Throws<OnnxModelException>(() => OnnxModel.Parse(shortData, "m")).Message);
    }

    [Theory]
    [InlineData("../outside.bin", "'..'")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("sub/../../outside.bin", "'..'")]
    public void ExternalDataMayNotEscapeTheModelFolder(string location, string reason)
    {
        using var folder = new TempFolder();
        var path = folder.Write("m.onnx", Model([Node("r", "Relu", ["x"], ["y"])], ExternalTensor("w", location, 16)));
        var e = Assert.Throws<OnnxModelException>(() => OnnxModel.Load(path));
        Assert.Contains(reason, e.Message);
        Assert.Contains("'w'", e.Message);
    }

    [Fact]
    public void ExternalDataInsideTheFolderIsRead()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("data"));
        folder.Write("data/w.bin", new[] { 1f, 2f, 3f, 4f }.SelectMany(BitConverter.GetBytes).ToArray());
        var path = folder.Write("m.onnx", Model([Node("r", "Relu", ["x"], ["y"])], ExternalTensor("w", "data/w.bin", 16)));
        Assert.Equal([1f, 2f, 3f, 4f], OnnxModel.Load(path).Graph.Initializers["w"].Floats!);
        Assert.Throws<OnnxModelException>(() => OnnxModel.Parse(File.ReadAllBytes(path), "memory"));
    }

    [Fact]
    public void CycleIsRefusedNamingANode()
    {
        var bytes = Model([Node("first", "Relu", ["b"], ["a"]), Node("second", "Relu", ["a"], ["b"]), Node("out", "Add", ["x", "a"], ["y"])]);
        var e = Assert.Throws<OnnxModelException>(() => OnnxNetwork.Import(OnnxModel.Parse(bytes, "cycle.onnx")));
        Assert.Contains("cycle", e.Message);
        Assert.NotNull(e.NodeName);
    }

    [Fact]
    public void UnknownOperatorIsRefusedNamingOpAndNode()
    {
        var bytes = Model([Node("mystery_node", "Einsum", ["x"], ["y"])]);
        var e = Assert.Throws<OnnxModelException>(() => OnnxNetwork.Import(OnnxModel.Parse(bytes, "unknown.onnx")));
        Assert.Equal("mystery_node", e.NodeName);
        Assert.Equal("Einsum", e.OpType);
        Assert.Contains("unknown.onnx: node 'mystery_node' (Einsum): operator 'Einsum' is not supported", e.Message);
    }
}

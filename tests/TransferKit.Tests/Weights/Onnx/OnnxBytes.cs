using System.Text;

namespace TransferKit.Tests.Weights.Onnx;

/// <summary>Writes protobuf messages by hand, to build ONNX models (hostile ones included) in tests.</summary>
internal sealed class OnnxBytes
{
    private readonly MemoryStream _stream = new();

    public byte[] ToArray() => _stream.ToArray();

    public OnnxBytes Varint(int field, long value) => Tag(field, 0).Raw(value);

    public OnnxBytes String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public OnnxBytes Message(int field, OnnxBytes message) => Bytes(field, message.ToArray());

    public OnnxBytes Bytes(int field, byte[] value)
    {
        Tag(field, 2).Raw(value.Length);
        _stream.Write(value);
        return this;
    }

    public OnnxBytes Floats(int field, params float[] values) => Bytes(field, values.SelectMany(BitConverter.GetBytes).ToArray());

    private OnnxBytes Tag(int field, int wire) => Raw(((long)field << 3) | (uint)wire);

    private OnnxBytes Raw(long value)
    {
        ulong v = (ulong)value;
        while (v >= 0x80)
        {
            _stream.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }
        _stream.WriteByte((byte)v);
        return this;
    }

    /// <summary>NodeProto: op on inputs giving outputs, named <paramref name="name"/>.</summary>
    public static OnnxBytes Node(string name, string op, string[] inputs, string[] outputs)
    {
        var n = new OnnxBytes();
        foreach (var i in inputs) n.String(1, i);
        foreach (var o in outputs) n.String(2, o);
        return n.String(3, name).String(4, op);
    }

    /// <summary>A float ValueInfoProto of shape <paramref name="dims"/>.</summary>
    public static OnnxBytes Value(string name, params long[] dims)
    {
        var shape = new OnnxBytes();
        foreach (long d in dims) shape.Message(1, new OnnxBytes().Varint(1, d));
        var tensorType = new OnnxBytes().Varint(1, 1).Message(2, shape);
        return new OnnxBytes().String(1, name).Message(2, new OnnxBytes().Message(1, tensorType));
    }

    /// <summary>A ModelProto at opset 13 with one graph of <paramref name="nodes"/>, input x [1, 2, 3, 3], output y.</summary>
    public static byte[] Model(IEnumerable<OnnxBytes> nodes, params OnnxBytes[] initializers)
    {
        var graph = new OnnxBytes();
        foreach (var n in nodes) graph.Message(1, n);
        graph.String(2, "g");
        foreach (var t in initializers) graph.Message(5, t);
        graph.Message(11, Value("x", 1, 2, 3, 3)).Message(12, Value("y"));
        return new OnnxBytes().Varint(1, 8).Message(8, new OnnxBytes().String(1, "").Varint(2, 13)).String(2, "test").Message(7, graph).ToArray();
    }
}

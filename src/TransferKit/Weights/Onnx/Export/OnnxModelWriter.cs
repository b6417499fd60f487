namespace TransferKit.Weights.Onnx.Export;

/// <summary>
/// Serialises an <see cref="OnnxModel"/> to the ONNX protobuf format, the counterpart of <see cref="OnnxModelReader"/>.
/// Field numbers are those of onnx/onnx's onnx.proto. Float tensors go to <c>raw_data</c> and int64 tensors to
/// <c>int64_data</c>; value infos carry element type and dimensions, symbolic ones by name.
/// </summary>
internal static class OnnxModelWriter
{
    /// <summary>The model's bytes.</summary>
    /// <exception cref="ArgumentException">A tensor's data does not match its dims or type.</exception>
    public static byte[] Write(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var w = new ProtoWriter();
        w.WriteInt64(1, model.IrVersion);
        w.WriteString(2, model.ProducerName);
        w.WriteString(3, typeof(OnnxModelWriter).Assembly.GetName().Version?.ToString() ?? "0");
        w.WriteMessage(7, Graph(model.Graph));
        foreach (var (domain, version) in model.OpsetImports)
        {
            var opset = new ProtoWriter();
            opset.WriteString(1, domain);
            opset.WriteInt64(2, version);
            w.WriteMessage(8, opset);
        }
        foreach (var (key, value) in model.Metadata)
        {
            var entry = new ProtoWriter();
            entry.WriteString(1, key);
            entry.WriteString(2, value);
            w.WriteMessage(14, entry);
        }
        return w.WrittenSpan.ToArray();
    }

    private static ProtoWriter Graph(OnnxGraph graph)
    {
        var w = new ProtoWriter();
        foreach (var node in graph.Nodes) w.WriteMessage(1, Node(node));
        w.WriteString(2, graph.Name);
        foreach (var tensor in graph.Initializers.Values) w.WriteMessage(5, Tensor(tensor));
        foreach (var input in graph.Inputs) w.WriteMessage(11, ValueInfo(input));
        foreach (var output in graph.Outputs) w.WriteMessage(12, ValueInfo(output));
        return w;
    }

    private static ProtoWriter Node(OnnxNode node)
    {
        var w = new ProtoWriter();
        foreach (string input in node.Inputs) w.WriteString(1, input);
        foreach (string output in node.Outputs) w.WriteString(2, output);
        w.WriteString(3, node.Name);
        w.WriteString(4, node.OpType);
        foreach (var attribute in node.Attributes.Values) w.WriteMessage(5, Attribute(attribute));
        if (node.Domain.Length > 0) w.WriteString(7, node.Domain);
        return w;
    }

    private static ProtoWriter Attribute(OnnxAttribute a)
    {
        var w = new ProtoWriter();
        w.WriteString(1, a.Name);
        switch (a.Type)
        {
            case OnnxAttributeType.Float: w.WriteFloat(2, a.Float); break;
            case OnnxAttributeType.Int: w.WriteInt64(3, a.Int); break;
            case OnnxAttributeType.String: w.WriteString(4, a.String); break;
            case OnnxAttributeType.Tensor: w.WriteMessage(5, Tensor(a.Tensor ?? throw new ArgumentException($"attribute '{a.Name}' has no tensor."))); break;
            case OnnxAttributeType.Floats: w.WritePackedFloats(7, a.Floats.ToArray()); break;
            case OnnxAttributeType.Ints: w.WritePackedInt64s(8, a.Ints.ToArray()); break;
            default: throw new ArgumentException($"attribute '{a.Name}' has type {a.Type}, which the writer does not produce.");
        }
        w.WriteInt64(20, (long)a.Type);
        return w;
    }

    private static ProtoWriter Tensor(OnnxTensor t)
    {
        var w = new ProtoWriter();
        w.WritePackedInt64s(1, t.Dims);
        w.WriteInt64(2, (long)t.DataType);
        w.WriteString(8, t.Name);
        long count = t.ElementCount;
        switch (t.DataType)
        {
            case OnnxDataType.Float when t.Floats is { } floats && floats.Length == count:
                w.WriteBytes(9, ProtoWriter.LittleEndianBytes(floats));
                break;
            case OnnxDataType.Int64 when t.Integers is { } ints && ints.Length == count:
                w.WritePackedInt64s(7, ints);
                break;
            default:
                throw new ArgumentException($"tensor '{t.Name}' ({t.DataType}, dims [{string.Join(", ", t.Dims)}]) has no data of that size and type.");
        }
        return w;
    }

    private static ProtoWriter ValueInfo(OnnxValueInfo info)
    {
        var shape = new ProtoWriter();
        for (int i = 0; i < info.Dims.Count; i++)
        {
            var dim = new ProtoWriter();
            if (info.Dims[i] is { } size) dim.WriteInt64(1, size);
            else dim.WriteString(2, i < info.DimNames.Count && info.DimNames[i].Length > 0 ? info.DimNames[i] : "dim" + i);
            shape.WriteMessage(1, dim);
        }
        var tensorType = new ProtoWriter();
        tensorType.WriteInt64(1, (long)info.ElementType);
        tensorType.WriteMessage(2, shape);
        var type = new ProtoWriter();
        type.WriteMessage(1, tensorType);
        var w = new ProtoWriter();
        w.WriteString(1, info.Name);
        w.WriteMessage(2, type);
        return w;
    }
}

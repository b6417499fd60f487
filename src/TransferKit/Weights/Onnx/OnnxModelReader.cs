namespace TransferKit.Weights.Onnx;

/// <summary>
/// Decodes the subset of onnx.proto a CNN needs: ModelProto, GraphProto, NodeProto, AttributeProto, ValueInfoProto with
/// TypeProto.Tensor and TensorShapeProto, OperatorSetIdProto and StringStringEntryProto; tensors in
/// <see cref="OnnxModelReader"/>'s TensorProto part. Field numbers are those of onnx/onnx's onnx.proto.
/// Unknown fields are skipped, as protobuf requires.
/// </summary>
internal static partial class OnnxModelReader
{
    public static OnnxModel Read(ReadOnlySpan<byte> bytes, string file, string? folder)
    {
        try
        {
            return ReadModel(new ProtoReader(bytes), new TensorContext(file, folder));
        }
        catch (InvalidDataException e)
        {
            throw new OnnxModelException(file, "malformed ONNX protobuf: " + e.Message, innerException: e);
        }
    }

    private static OnnxModel ReadModel(ProtoReader r, TensorContext context)
    {
        long ir = 0;
        string producer = "";
        var opsets = new Dictionary<string, long>();
        var metadata = new Dictionary<string, string>();
        OnnxGraph? graph = null;
        while (r.TryReadTag(out int field))
        {
            switch (field)
            {
                case 1: ir = r.ReadInt64(); break;
                case 2: producer = r.ReadString(); break;
                case 7: graph = ReadGraph(new ProtoReader(r.ReadBytes()), context); break;
                case 8:
                    var (domain, version) = ReadOpset(new ProtoReader(r.ReadBytes()));
                    opsets[domain] = version;
                    break;
                case 14:
                    var (key, value) = ReadEntry(new ProtoReader(r.ReadBytes()));
                    metadata[key] = value;
                    break;
                default: r.Skip(); break;
            }
        }
        if (graph is null) throw new InvalidDataException("the model has no graph (ModelProto field 7).");
        return new OnnxModel(context.File, ir, producer, opsets, graph, metadata);
    }

    private static (string Domain, long Version) ReadOpset(ProtoReader r)
    {
        string domain = "";
        long version = 0;
        while (r.TryReadTag(out int field))
        {
            if (field == 1) domain = r.ReadString();
            else if (field == 2) version = r.ReadInt64();
            else r.Skip();
        }
        return (domain, version);
    }

    private static (string Key, string Value) ReadEntry(ProtoReader r)
    {
        string key = "", value = "";
        while (r.TryReadTag(out int field))
        {
            if (field == 1) key = r.ReadString();
            else if (field == 2) value = r.ReadString();
            else r.Skip();
        }
        return (key, value);
    }

    private static OnnxGraph ReadGraph(ProtoReader r, TensorContext context)
    {
        string name = "";
        var nodes = new List<OnnxNode>();
        var initializers = new Dictionary<string, OnnxTensor>();
        var inputs = new List<OnnxValueInfo>();
        var outputs = new List<OnnxValueInfo>();
        while (r.TryReadTag(out int field))
        {
            switch (field)
            {
                case 1: nodes.Add(ReadNode(new ProtoReader(r.ReadBytes()), context, nodes.Count)); break;
                case 2: name = r.ReadString(); break;
                case 5:
                    var t = ReadTensor(new ProtoReader(r.ReadBytes()), context);
                    if (!initializers.TryAdd(t.Name, t)) throw new InvalidDataException($"initializer '{t.Name}' appears twice.");
                    break;
                case 11: inputs.Add(ReadValueInfo(new ProtoReader(r.ReadBytes()))); break;
                case 12: outputs.Add(ReadValueInfo(new ProtoReader(r.ReadBytes()))); break;
                case 15: throw new InvalidDataException("sparse initializers are not supported.");
                default: r.Skip(); break;
            }
        }
        return new OnnxGraph(name, nodes, initializers, inputs, outputs);
    }

    private static OnnxNode ReadNode(ProtoReader r, TensorContext context, int index)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, OnnxAttribute>();
        string name = "", op = "", domain = "";
        while (r.TryReadTag(out int field))
        {
            switch (field)
            {
                case 1: inputs.Add(r.ReadString()); break;
                case 2: outputs.Add(r.ReadString()); break;
                case 3: name = r.ReadString(); break;
                case 4: op = r.ReadString(); break;
                case 7: domain = r.ReadString(); break;
                case 5:
                    var a = ReadAttribute(new ProtoReader(r.ReadBytes()), context);
                    attributes[a.Name] = a;
                    break;
                default: r.Skip(); break;
            }
        }
        if (op.Length == 0) throw new InvalidDataException($"node {index} ('{name}') has no op_type.");
        if (name.Length == 0) name = outputs.Count > 0 ? $"{op}:{outputs[0]}" : $"{op}#{index}";
        return new OnnxNode(name, op, domain, inputs, outputs, attributes);
    }

    private static OnnxAttribute ReadAttribute(ProtoReader r, TensorContext context)
    {
        string name = "", s = "";
        var type = OnnxAttributeType.Undefined;
        float f = 0;
        long i = 0;
        OnnxTensor? t = null;
        var floats = new List<float>();
        var ints = new List<long>();
        while (r.TryReadTag(out int field))
        {
            switch (field)
            {
                case 1: name = r.ReadString(); break;
                case 20: type = (OnnxAttributeType)r.ReadInt32(); break;
                case 2: f = r.ReadFloat(); break;
                case 3: i = r.ReadInt64(); break;
                case 4: s = r.ReadString(); break;
                case 5: t = ReadTensor(new ProtoReader(r.ReadBytes()), context); break;
                case 7: r.ReadFloats(floats); break;
                case 8: r.ReadInt64s(ints); break;
                case 6 or 11:
                    // Subgraphs (If, Loop, Scan) are skipped unread: the importer refuses control flow, and not descending
                    // into them keeps the reader's recursion bounded.
                    type = field == 6 ? OnnxAttributeType.Graph : OnnxAttributeType.Graphs;
                    r.Skip();
                    break;
                default: r.Skip(); break;
            }
        }
        return new OnnxAttribute(name, type, f, i, s, t, floats, ints);
    }

    private static OnnxValueInfo ReadValueInfo(ProtoReader r)
    {
        string name = "";
        var elem = OnnxDataType.Undefined;
        var dims = new List<long?>();
        var dimNames = new List<string>();
        while (r.TryReadTag(out int field))
        {
            if (field == 1) name = r.ReadString();
            else if (field == 2) ReadType(new ProtoReader(r.ReadBytes()), ref elem, dims, dimNames);
            else r.Skip();
        }
        return new OnnxValueInfo(name, elem, dims, dimNames);
    }

    private static void ReadType(ProtoReader r, ref OnnxDataType elem, List<long?> dims, List<string> dimNames)
    {
        while (r.TryReadTag(out int field))
        {
            if (field != 1) { r.Skip(); continue; }
            var tensor = new ProtoReader(r.ReadBytes());
            while (tensor.TryReadTag(out int tf))
            {
                if (tf == 1) elem = (OnnxDataType)tensor.ReadInt32();
                else if (tf == 2) ReadShape(new ProtoReader(tensor.ReadBytes()), dims, dimNames);
                else tensor.Skip();
            }
        }
    }

    private static void ReadShape(ProtoReader r, List<long?> dims, List<string> dimNames)
    {
        while (r.TryReadTag(out int field))
        {
            if (field != 1) { r.Skip(); continue; }
            var dim = new ProtoReader(r.ReadBytes());
            long? value = null;
            string param = "";
            while (dim.TryReadTag(out int df))
            {
                if (df == 1) value = dim.ReadInt64();
                else if (df == 2) param = dim.ReadString();
                else dim.Skip();
            }
            if (value is < 0) throw new InvalidDataException($"a declared dimension is negative ({value}).");
            dims.Add(value);
            dimNames.Add(param);
        }
    }
}

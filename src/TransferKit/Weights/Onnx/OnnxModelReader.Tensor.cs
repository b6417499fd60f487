using System.Buffers.Binary;

namespace TransferKit.Weights.Onnx;

internal static partial class OnnxModelReader
{
    /// <summary>Rank beyond which a tensor is taken as hostile rather than a CNN weight.</summary>
    internal const int MaxRank = 8;

    /// <summary>The file being read and the folder its external data must stay in (null: no external data allowed).</summary>
    internal sealed record TensorContext(string File, string? Folder);

    private static OnnxTensor ReadTensor(ProtoReader r, TensorContext context)
    {
        string name = "";
        var type = OnnxDataType.Undefined;
        var dims = new List<long>();
        var floats = new List<float>();
        var doubles = new List<double>();
        var ints = new List<long>();
        var external = new Dictionary<string, string>();
        bool isExternal = false;
        ReadOnlySpan<byte> raw = default;
        bool hasRaw = false;
        while (r.TryReadTag(out int field))
        {
            switch (field)
            {
                case 1: r.ReadInt64s(dims); break;
                case 2: type = (OnnxDataType)r.ReadInt32(); break;
                case 4: r.ReadFloats(floats); break;
                case 5 or 7 or 11: r.ReadInt64s(ints); break;
                case 8: name = r.ReadString(); break;
                case 9: raw = r.ReadBytes(); hasRaw = true; break;
                case 10: r.ReadDoubles(doubles); break;
                case 13:
                    var (k, v) = ReadEntry(new ProtoReader(r.ReadBytes()));
                    external[k] = v;
                    break;
                case 14: isExternal = r.ReadInt32() == 1; break;
                case 3: throw new InvalidDataException($"tensor '{name}' is segmented, which is not supported.");
                default: r.Skip(); break;
            }
        }
        long count = CheckDims(name, dims);
        if (isExternal)
        {
            var bytes = OnnxExternalData.Read(context, name, external, count * ElementSize(name, type));
            return Decode(name, type, dims.ToArray(), count, bytes);
        }
        if (hasRaw) return Decode(name, type, dims.ToArray(), count, raw);
        return FromTypedFields(name, type, dims.ToArray(), count, floats, doubles, ints);
    }

    private static long CheckDims(string name, List<long> dims)
    {
        if (dims.Count > MaxRank) throw new InvalidDataException($"tensor '{name}' has rank {dims.Count}, more than {MaxRank}.");
        long count = 1;
        foreach (long d in dims)
        {
            if (d < 0 || d > int.MaxValue) throw new InvalidDataException($"tensor '{name}' has an absurd dimension {d} in [{string.Join(", ", dims)}].");
            count *= d;
            if (count > int.MaxValue) throw new InvalidDataException($"tensor '{name}' with dims [{string.Join(", ", dims)}] has more than {int.MaxValue} elements.");
        }
        return count;
    }

    private static OnnxTensor FromTypedFields(string name, OnnxDataType type, long[] dims, long count, List<float> floats, List<double> doubles, List<long> ints)
    {
        switch (type)
        {
            case OnnxDataType.Float:
                Expect(name, floats.Count, count, "float_data");
                return new OnnxTensor(name, type, dims, floats.ToArray(), null);
            case OnnxDataType.Double:
                Expect(name, doubles.Count, count, "double_data");
                return new OnnxTensor(name, type, dims, doubles.Select(d => (float)d).ToArray(), null);
            case OnnxDataType.Float16:
                Expect(name, ints.Count, count, "int32_data");
                return new OnnxTensor(name, type, dims, ints.Select(b => (float)BitConverter.UInt16BitsToHalf((ushort)b)).ToArray(), null);
            case OnnxDataType.String or OnnxDataType.Undefined:
                throw new InvalidDataException($"tensor '{name}' has unsupported data type {type}.");
            default:
                Expect(name, ints.Count, count, "int32_data/int64_data");
                return new OnnxTensor(name, type, dims, null, ints.ToArray());
        }
    }

    private static void Expect(string name, int have, long count, string field)
    {
        if (have != count) throw new InvalidDataException($"tensor '{name}' has {have} values in {field} but its dims need {count}.");
    }

    private static int ElementSize(string name, OnnxDataType type) => type switch
    {
        OnnxDataType.Float or OnnxDataType.Int32 or OnnxDataType.UInt32 => 4,
        OnnxDataType.Double or OnnxDataType.Int64 or OnnxDataType.UInt64 => 8,
        OnnxDataType.Float16 or OnnxDataType.Int16 or OnnxDataType.UInt16 => 2,
        OnnxDataType.Int8 or OnnxDataType.UInt8 or OnnxDataType.Bool => 1,
        _ => throw new InvalidDataException($"tensor '{name}' has unsupported data type {type}."),
    };

    private static OnnxTensor Decode(string name, OnnxDataType type, long[] dims, long count, ReadOnlySpan<byte> raw)
    {
        int size = ElementSize(name, type);
        if (raw.Length != count * size)
            throw new InvalidDataException($"tensor '{name}' has {raw.Length} bytes of data but its {type} dims [{string.Join(", ", dims)}] need {count * size}.");
        int n = (int)count;
        switch (type)
        {
            case OnnxDataType.Float:
                var f = new float[n];
                for (int i = 0; i < n; i++) f[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
                return new OnnxTensor(name, type, dims, f, null);
            case OnnxDataType.Double:
                var d = new float[n];
                for (int i = 0; i < n; i++) d[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(raw[(i * 8)..]);
                return new OnnxTensor(name, type, dims, d, null);
            case OnnxDataType.Float16:
                var h = new float[n];
                for (int i = 0; i < n; i++) h[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(raw[(i * 2)..]);
                return new OnnxTensor(name, type, dims, h, null);
        }
        var v = new long[n];
        for (int i = 0; i < n; i++)
        {
            var at = raw[(i * size)..];
            v[i] = type switch
            {
                OnnxDataType.Int64 or OnnxDataType.UInt64 => BinaryPrimitives.ReadInt64LittleEndian(at),
                OnnxDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(at),
                OnnxDataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(at),
                OnnxDataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(at),
                OnnxDataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(at),
                OnnxDataType.Int8 => (sbyte)at[0],
                _ => at[0],
            };
        }
        return new OnnxTensor(name, type, dims, null, v);
    }
}

using System.Buffers.Binary;
using System.Text;

namespace TransferKit.Weights.Onnx;

/// <summary>
/// Reads the protobuf wire format (varints, fixed 32/64-bit, length-delimited) from a span, one field at a time. Every
/// length is checked against what is left, so a truncated or hostile file fails with <see cref="InvalidDataException"/>
/// instead of reading past the end or allocating absurd arrays.
/// </summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>Wire type of the field last returned by <see cref="TryReadTag"/>.</summary>
    public int WireType { get; private set; }

    /// <summary>Reads the next field's tag; false at the end of the message.</summary>
    public bool TryReadTag(out int field)
    {
        field = 0;
        if (_position >= _data.Length) return false;
        ulong tag = ReadVarint();
        WireType = (int)(tag & 7);
        ulong number = tag >> 3;
        if (number is 0 or > 536_870_911) throw new InvalidDataException($"invalid protobuf field number {number} at byte {_position}.");
        if (WireType is 3 or 4 or 6 or 7) throw new InvalidDataException($"unsupported protobuf wire type {WireType} (field {number}).");
        field = (int)number;
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _data.Length) throw new InvalidDataException("protobuf varint runs past the end of the message.");
            byte b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new InvalidDataException("protobuf varint is longer than 10 bytes.");
    }

    public long ReadInt64() => (long)ReadVarint();

    /// <summary>An int32 field; values outside int's range are malformed (protobuf sign-extends negative int32s to 64 bits).</summary>
    public int ReadInt32()
    {
        long v = ReadInt64();
        if (v is < int.MinValue or > int.MaxValue) throw new InvalidDataException($"int32 field holds {v}.");
        return (int)v;
    }

    public float ReadFloat() => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadInt32LittleEndian(Take(4)));

    public double ReadDouble() => BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(Take(8)));

    /// <summary>The bytes of a length-delimited field (a string, bytes, packed array or nested message).</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        ulong length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
            throw new InvalidDataException($"length-delimited field of {length} bytes runs past the end of its message ({_data.Length - _position} bytes left).");
        return Take((int)length);
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    /// <summary>Skips the value of a field this reader does not need.</summary>
    public void Skip()
    {
        switch (WireType)
        {
            case 0: ReadVarint(); break;
            case 1: Take(8); break;
            case 2: ReadBytes(); break;
            case 5: Take(4); break;
            default: throw new InvalidDataException($"cannot skip wire type {WireType}.");
        }
    }

    /// <summary>Appends a repeated int64 field, packed (wire type 2) or one value per tag.</summary>
    public void ReadInt64s(List<long> into)
    {
        if (WireType != 2)
        {
            into.Add(ReadInt64());
            return;
        }
        var inner = new ProtoReader(ReadBytes());
        while (inner._position < inner._data.Length) into.Add(inner.ReadInt64());
    }

    /// <summary>Appends a repeated float field, packed or one value per tag.</summary>
    public void ReadFloats(List<float> into)
    {
        if (WireType != 2)
        {
            into.Add(ReadFloat());
            return;
        }
        var bytes = ReadBytes();
        if (bytes.Length % 4 != 0) throw new InvalidDataException($"packed float field of {bytes.Length} bytes is not a multiple of 4.");
        for (int i = 0; i < bytes.Length; i += 4) into.Add(BinaryPrimitives.ReadSingleLittleEndian(bytes[i..]));
    }

    /// <summary>Appends a repeated double field, packed or one value per tag.</summary>
    public void ReadDoubles(List<double> into)
    {
        if (WireType != 2)
        {
            into.Add(ReadDouble());
            return;
        }
        var bytes = ReadBytes();
        if (bytes.Length % 8 != 0) throw new InvalidDataException($"packed double field of {bytes.Length} bytes is not a multiple of 8.");
        for (int i = 0; i < bytes.Length; i += 8) into.Add(BinaryPrimitives.ReadDoubleLittleEndian(bytes[i..]));
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position) throw new InvalidDataException($"field of {count} bytes runs past the end of its message.");
        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }
}

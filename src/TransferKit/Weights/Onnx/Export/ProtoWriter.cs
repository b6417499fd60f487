using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace TransferKit.Weights.Onnx.Export;

/// <summary>
/// Writes the protobuf wire format, the counterpart of <see cref="ProtoReader"/>: varints, fixed 32-bit floats,
/// length-delimited strings, bytes and nested messages, packed repeated numbers. A nested message is written into its own
/// writer first, because its length prefix must precede it.
/// </summary>
internal sealed class ProtoWriter
{
    private const int VarintWire = 0;
    private const int Fixed32Wire = 5;
    private const int LengthWire = 2;

    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    /// <summary>Bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public void WriteInt64(int field, long value)
    {
        WriteTag(field, VarintWire);
        WriteVarint((ulong)value);
    }

    public void WriteFloat(int field, float value)
    {
        WriteTag(field, Fixed32Wire);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, LengthWire);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    public void WriteMessage(int field, ProtoWriter message) => WriteBytes(field, message.WrittenSpan);

    /// <summary>A packed repeated int64 field (proto3's default encoding for repeated scalars).</summary>
    public void WritePackedInt64s(int field, ReadOnlySpan<long> values)
    {
        var packed = new ProtoWriter();
        foreach (long v in values) packed.WriteVarint((ulong)v);
        WriteBytes(field, packed.WrittenSpan);
    }

    /// <summary>A packed repeated float field, little-endian.</summary>
    public void WritePackedFloats(int field, ReadOnlySpan<float> values) => WriteBytes(field, LittleEndianBytes(values));

    /// <summary>The little-endian bytes of <paramref name="values"/> (the layout of TensorProto.raw_data).</summary>
    public static ReadOnlySpan<byte> LittleEndianBytes(ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian) return MemoryMarshal.AsBytes(values);
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    private void WriteTag(int field, int wire) => WriteVarint(((ulong)field << 3) | (uint)wire);

    private void WriteVarint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        int n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        _buffer.Advance(n);
    }
}

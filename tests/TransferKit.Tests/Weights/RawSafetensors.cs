using System.Buffers.Binary;
using System.Text;

namespace TransferKit.Tests.Weights;

/// <summary>
/// A test-only safetensors builder over raw bytes, so tests can write any dtype and any malformed layout
/// the library's writer refuses to produce.
/// </summary>
internal static class RawSafetensors
{
    /// <summary>One tensor entry: its dtype string, shape and raw little-endian bytes.</summary>
    public sealed record Entry(string Name, string DType, long[] Shape, byte[] Data);

    /// <summary>The 8-byte length prefix, the header bytes as given, then the buffer.</summary>
    public static byte[] Build(byte[] header, byte[] buffer, ulong? declaredLength = null)
    {
        var bytes = new byte[8 + header.Length + buffer.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        buffer.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    /// <summary>A file from a header written as JSON text and a buffer.</summary>
    public static byte[] Build(string headerJson, byte[] buffer) => Build(Encoding.UTF8.GetBytes(headerJson), buffer);

    /// <summary>
    /// A well-formed file with the entries back to back in the order given. The header is not padded, so the
    /// buffer usually starts unaligned, which exercises the reader's unaligned loads.
    /// </summary>
    public static byte[] Build(IEnumerable<Entry> entries, string? metadataJson = null)
    {
        var header = new StringBuilder("{");
        if (metadataJson is not null) header.Append("\"__metadata__\":").Append(metadataJson).Append(',');
        using var buffer = new MemoryStream();
        foreach (var e in entries)
        {
            long begin = buffer.Length;
            buffer.Write(e.Data);
            header.Append($"\"{e.Name}\":{{\"dtype\":\"{e.DType}\",\"shape\":[{string.Join(",", e.Shape)}],\"data_offsets\":[{begin},{buffer.Length}]}},");
        }
        if (header[^1] == ',') header.Length--;
        header.Append('}');
        return Build(header.ToString(), buffer.ToArray());
    }

    /// <summary>Little-endian bytes of <paramref name="values"/> written with <paramref name="write"/>.</summary>
    public static byte[] Bytes<T>(T[] values, int size, Action<byte[], int, T> write)
    {
        var bytes = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++) write(bytes, i * size, values[i]);
        return bytes;
    }

    /// <summary>F32 bytes.</summary>
    public static byte[] F32(params float[] values) =>
        Bytes(values, 4, (b, o, v) => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(o), v));
}

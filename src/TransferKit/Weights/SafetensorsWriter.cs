using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using TransferKit.Tensors;

namespace TransferKit.Weights;

/// <summary>
/// Writes float32 tensors to a safetensors file atomically: the bytes go to a temporary file in the same folder,
/// which is flushed to disk and then renamed over the target, so readers never see a half-written file.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>The header is padded with spaces to this multiple so the data buffer stays aligned for 8-byte types.</summary>
    private const int HeaderAlignment = 8;

    /// <summary>
    /// Writes <paramref name="tensors"/> as F32 in the order given, with optional string metadata, to <paramref name="path"/>
    /// (replacing any existing file).
    /// </summary>
    /// <param name="path">The target file; its folder must exist.</param>
    /// <param name="tensors">Name and tensor pairs. Names must be non-empty, unique, and not <c>__metadata__</c>.</param>
    /// <param name="metadata">Optional <c>__metadata__</c> entries.</param>
    /// <exception cref="ArgumentException">A name is empty, repeated or reserved, a tensor is null or disposed, or a metadata value is null.</exception>
    /// <exception cref="IOException">The file could not be written; the target is left as it was.</exception>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var entries = Validate(tensors, metadata);
        byte[] header = BuildHeader(entries, metadata);

        AtomicFile.Write(System.IO.Path.GetFullPath(path), stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (var (_, tensor) in entries)
                stream.Write(MemoryMarshal.AsBytes(tensor.ReadOnlySpan));
        });
    }

    private static List<KeyValuePair<string, Tensor>> Validate(IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var entries = new List<KeyValuePair<string, Tensor>>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in tensors)
        {
            if (string.IsNullOrEmpty(entry.Key))
                throw new ArgumentException("Tensor names must be non-empty.", nameof(tensors));
            if (entry.Key == SafetensorsHeader.MetadataKey)
                throw new ArgumentException($"'{SafetensorsHeader.MetadataKey}' is reserved and cannot name a tensor.", nameof(tensors));
            if (!names.Add(entry.Key))
                throw new ArgumentException($"Tensor name '{entry.Key}' appears more than once.", nameof(tensors));
            if (entry.Value is null)
                throw new ArgumentException($"Tensor '{entry.Key}' is null.", nameof(tensors));
            if (entry.Value.IsDisposed)
                throw new ArgumentException($"Tensor '{entry.Key}' of shape {entry.Value.Shape} was disposed.", nameof(tensors));
            entries.Add(entry);
        }
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                if (value is null)
                    throw new ArgumentException($"Metadata value for '{key}' is null.", nameof(metadata));
            }
        }
        return entries;
    }

    private static byte[] BuildHeader(List<KeyValuePair<string, Tensor>> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps names and JSON-in-metadata readable; the output is still strict JSON.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in entries)
            {
                long end = offset + (long)tensor.Length * sizeof(float);
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                offset = end;
            }
            json.WriteEndObject();
        }
        int padded = (int)((buffer.Length + HeaderAlignment - 1) / HeaderAlignment * HeaderAlignment);
        while (buffer.Length < padded) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }
}

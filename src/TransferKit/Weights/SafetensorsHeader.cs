using System.Text.Json;
using System.Text.Unicode;

namespace TransferKit.Weights;

/// <summary>
/// Parses and validates a safetensors JSON header. Every number is checked before it is trusted: dtypes, shapes
/// (checked arithmetic), byte ranges against the buffer, and the ranges against each other, which must tile the
/// buffer exactly. Any violation raises <see cref="SafetensorsFormatException"/> naming the first problem found.
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The largest header accepted (the reference implementation's limit), so a corrupt length cannot make us allocate gigabytes.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>The reserved key holding string-to-string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    private SafetensorsHeader(Dictionary<string, string> metadata, SafetensorsTensorInfo[] tensors)
    {
        Metadata = metadata;
        Tensors = tensors;
    }

    /// <summary>Metadata entries in header order.</summary>
    public Dictionary<string, string> Metadata { get; }

    /// <summary>Tensors sorted by their begin offset.</summary>
    public SafetensorsTensorInfo[] Tensors { get; }

    /// <summary>Parses <paramref name="header"/> (the N bytes after the length prefix) for a data buffer of <paramref name="bufferLength"/> bytes.</summary>
    public static SafetensorsHeader Parse(string path, ReadOnlySpan<byte> header, long bufferLength)
    {
        if (header.Length == 0 || header[0] != (byte)'{')
            throw Fail(path, "the header must be a JSON object starting with '{'.");
        if (!Utf8.IsValid(header))
            throw Fail(path, "the header is not valid UTF-8.");

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            throw new SafetensorsFormatException(path, $"the header is not valid JSON ({ex.Message}).", ex);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw Fail(path, "the header must be a JSON object.");

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var tensors = new List<SafetensorsTensorInfo>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Fail(path, $"the header names '{property.Name}' twice.");
                if (property.Name == MetadataKey)
                    ReadMetadata(path, property.Value, metadata);
                else
                    tensors.Add(ReadTensor(path, property.Name, property.Value, bufferLength));
            }

            var sorted = tensors.OrderBy(t => t.Begin).ThenBy(t => t.End).ToArray();
            CheckTiling(path, sorted, bufferLength);
            return new SafetensorsHeader(metadata, sorted);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Fail(path, $"'{MetadataKey}' must be an object of strings, got {value.ValueKind}.");
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw Fail(path, $"metadata value '{entry.Name}' must be a string, got {entry.Value.ValueKind}.");
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
                throw Fail(path, $"metadata key '{entry.Name}' appears twice.");
        }
    }

    private static SafetensorsTensorInfo ReadTensor(string path, string name, JsonElement value, long bufferLength)
    {
        if (name.Length == 0)
            throw Fail(path, "a tensor has an empty name.");
        if (value.ValueKind != JsonValueKind.Object)
            throw Fail(path, $"tensor '{name}' must be an object with dtype, shape and data_offsets, got {value.ValueKind}.");

        JsonElement? dtypeElement = null, shapeElement = null, offsetsElement = null;
        foreach (var field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtypeElement is null: dtypeElement = field.Value; break;
                case "shape" when shapeElement is null: shapeElement = field.Value; break;
                case "data_offsets" when offsetsElement is null: offsetsElement = field.Value; break;
                case "dtype" or "shape" or "data_offsets":
                    throw Fail(path, $"tensor '{name}' has field '{field.Name}' twice.");
                default:
                    throw Fail(path, $"tensor '{name}' has unknown field '{field.Name}'.");
            }
        }
        if (dtypeElement is not { ValueKind: JsonValueKind.String } dt)
            throw Fail(path, $"tensor '{name}' needs a string 'dtype'.");
        if (!SafetensorsDTypeInfo.TryParse(dt.GetString()!, out var dtype))
            throw Fail(path, $"tensor '{name}' has unsupported dtype '{dt.GetString()}'.");
        int[] shape = ReadShape(path, name, shapeElement);
        (long begin, long end) = ReadOffsets(path, name, offsetsElement);

        if (begin > end)
            throw Fail(path, $"tensor '{name}' has data_offsets [{begin}, {end}] with begin after end.");
        if (end > bufferLength)
            throw Fail(path, $"tensor '{name}' has data_offsets [{begin}, {end}] beyond the data buffer of {bufferLength} bytes.");

        long bytes;
        try
        {
            long count = 1;
            foreach (int d in shape) count = checked(count * d);
            bytes = checked(count * SafetensorsDTypeInfo.SizeOf(dtype));
        }
        catch (OverflowException)
        {
            throw Fail(path, $"tensor '{name}' with shape {SafetensorsTensorInfo.FormatShape(shape)} and dtype {dtype} overflows a 64-bit byte count.");
        }
        if (bytes != end - begin)
            throw Fail(path, $"tensor '{name}' with shape {SafetensorsTensorInfo.FormatShape(shape)} and dtype {dtype} needs {bytes} bytes, but data_offsets [{begin}, {end}] span {end - begin}.");

        return new SafetensorsTensorInfo(name, dtype, shape, begin, end);
    }

    private static int[] ReadShape(string path, string name, JsonElement? element)
    {
        if (element is not { ValueKind: JsonValueKind.Array } array)
            throw Fail(path, $"tensor '{name}' needs an array 'shape'.");
        var shape = new int[array.GetArrayLength()];
        int i = 0;
        foreach (var d in array.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long v))
                throw Fail(path, $"tensor '{name}' has a shape entry that is not an integer: {d.GetRawText()}.");
            if (v < 0)
                throw Fail(path, $"tensor '{name}' has negative dimension {v} in its shape.");
            if (v > int.MaxValue)
                throw Fail(path, $"tensor '{name}' has dimension {v}, larger than {int.MaxValue}.");
            shape[i++] = (int)v;
        }
        return shape;
    }

    private static (long Begin, long End) ReadOffsets(string path, string name, JsonElement? element)
    {
        if (element is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() != 2)
            throw Fail(path, $"tensor '{name}' needs 'data_offsets' as an array of two integers.");
        var values = new long[2];
        int i = 0;
        foreach (var o in array.EnumerateArray())
        {
            if (o.ValueKind != JsonValueKind.Number || !o.TryGetInt64(out long v) || v < 0)
                throw Fail(path, $"tensor '{name}' has a data offset that is not a non-negative 64-bit integer: {o.GetRawText()}.");
            values[i++] = v;
        }
        return (values[0], values[1]);
    }

    private static void CheckTiling(string path, SafetensorsTensorInfo[] sorted, long bufferLength)
    {
        long expected = 0;
        string? previous = null;
        foreach (var t in sorted)
        {
            if (t.Begin < expected)
                throw Fail(path, $"tensor '{t.Name}' [{t.Begin}, {t.End}] overlaps tensor '{previous}' ending at {expected}.");
            if (t.Begin > expected)
                throw Fail(path, previous is null
                    ? $"the data buffer starts with {t.Begin} unused bytes before tensor '{t.Name}'."
                    : $"there are {t.Begin - expected} unused bytes between tensor '{previous}' and tensor '{t.Name}'.");
            expected = t.End;
            previous = t.Name;
        }
        if (expected != bufferLength)
            throw Fail(path, $"the tensors cover {expected} bytes but the data buffer holds {bufferLength}.");
    }

    private static SafetensorsFormatException Fail(string path, string reason) => new(path, reason);
}

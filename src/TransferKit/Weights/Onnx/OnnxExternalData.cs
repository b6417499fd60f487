namespace TransferKit.Weights.Onnx;

/// <summary>
/// Reads a tensor's external data with the ONNX checker's rules: the location is relative to the model's folder, has no
/// <c>..</c> segment, is not absolute, is not a link, and resolves inside that folder; offset and length must lie in the file.
/// </summary>
internal static class OnnxExternalData
{
    public static byte[] Read(OnnxModelReader.TensorContext context, string tensor, IReadOnlyDictionary<string, string> entries, long expectedBytes)
    {
        if (!entries.TryGetValue("location", out var location) || location.Length == 0)
            throw new InvalidDataException($"tensor '{tensor}' has external data without a location.");
        if (context.Folder is null)
            throw Escape(context, tensor, location, "the model was not read from a folder, so external data cannot be resolved");
        if (Path.IsPathRooted(location) || location.StartsWith('/') || location.StartsWith('\\'))
            throw Escape(context, tensor, location, "the location is absolute");
        if (location.Split('/', '\\').Any(segment => segment == ".."))
            throw Escape(context, tensor, location, "the location contains '..'");
        var folder = Path.GetFullPath(context.Folder);
        var full = Path.GetFullPath(Path.Combine(folder, location));
        if (!full.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw Escape(context, tensor, location, "the location resolves outside the model's folder");
        var info = new FileInfo(full);
        if (!info.Exists) throw new InvalidDataException($"tensor '{tensor}': external data file '{location}' does not exist.");
        if (info.LinkTarget is not null) throw Escape(context, tensor, location, "the location is a link");

        long offset = Number(entries, "offset", tensor, 0);
        long length = Number(entries, "length", tensor, expectedBytes);
        if (length != expectedBytes)
            throw new InvalidDataException($"tensor '{tensor}': external data length {length} differs from the {expectedBytes} bytes its dims need.");
        if (offset + length > info.Length)
            throw new InvalidDataException($"tensor '{tensor}': external data [{offset}, {offset + length}) runs past the end of '{location}' ({info.Length} bytes).");
        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read);
        stream.Position = offset;
        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static long Number(IReadOnlyDictionary<string, string> entries, string key, string tensor, long fallback)
    {
        if (!entries.TryGetValue(key, out var text)) return fallback;
        if (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long v))
            throw new InvalidDataException($"tensor '{tensor}': external data {key} '{text}' is not a non-negative integer.");
        return v;
    }

    private static OnnxModelException Escape(OnnxModelReader.TensorContext context, string tensor, string location, string why) =>
        new(context.File, $"tensor '{tensor}': external data location '{location}' is refused: {why}.");
}

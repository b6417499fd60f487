namespace TransferKit.MLNet.Hosting;

/// <summary>
/// Carries a TransferKit file (a model or a backbone, written and verified by TransferKit's own code) inside an ML.NET
/// model stream: length-prefixed bytes, through a temporary file because TransferKit writes and maps files.
/// </summary>
internal static class ModelBytes
{
    public static void Write(BinaryWriter writer, Action<string> save)
    {
        string path = TempPath();
        try
        {
            save(path);
            byte[] bytes = File.ReadAllBytes(path);
            writer.Write(bytes.LongLength);
            writer.Write(bytes);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static T Read<T>(BinaryReader reader, Func<string, T> load)
    {
        long length = reader.ReadInt64();
        if (length is < 0 or > int.MaxValue) throw new InvalidDataException($"A TransferKit model inside the ML.NET model claims {length} bytes: the file is corrupted.");
        byte[] bytes = reader.ReadBytes((int)length);
        if (bytes.Length != length) throw new InvalidDataException($"A TransferKit model inside the ML.NET model is truncated: {bytes.Length} of {length} bytes.");
        string path = TempPath();
        try
        {
            File.WriteAllBytes(path, bytes);
            return load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string TempPath() => Path.Combine(Path.GetTempPath(), $"transferkit-mlnet-{Guid.NewGuid():N}.safetensors");
}

using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Data.Datasets;

/// <summary>A temporary folder for dataset layouts, deleted with its contents on dispose.</summary>
internal sealed class DatasetTestFolder : IDisposable
{
    public DatasetTestFolder() => Directory.CreateDirectory(Root);

    /// <summary>The folder's full path.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "tk-datasets-" + Guid.NewGuid().ToString("N"));

    /// <summary>The full path of <paramref name="relative"/> (forward slashes allowed) under the root.</summary>
    public string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Writes <paramref name="bytes"/> at <paramref name="relative"/>, creating folders, and returns the full path.</summary>
    public string Write(string relative, byte[] bytes)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes a small valid PNG whose pixels encode <paramref name="tag"/>, and returns the full path.</summary>
    public string WriteImage(string relative, int tag = 0, int size = 8) => Write(relative, TinyPng(tag, size));

    /// <summary>An 8-bit RGB PNG of <paramref name="size"/> squared pixels, every pixel (tag, tag * 3, 255 - tag) mod 256.</summary>
    public static byte[] TinyPng(int tag, int size = 8)
    {
        var rgb = new byte[size * size * 3];
        for (int i = 0; i < size * size; i++)
        {
            rgb[3 * i] = (byte)tag;
            rgb[(3 * i) + 1] = (byte)(tag * 3);
            rgb[(3 * i) + 2] = (byte)(255 - tag);
        }

        return PngEncoder.Encode(size, size, rgb);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Leftover temporary files are harmless.
        }
    }
}

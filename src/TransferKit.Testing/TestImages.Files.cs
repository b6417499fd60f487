using TransferKit.Data.Decoding;
using TransferKit.Data.Synthetic;

namespace TransferKit.Testing;

public static partial class TestImages
{
    /// <summary>Characters that some file system refuses in a folder name; class names become folder names.</summary>
    private static readonly char[] UnportableNameChars = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

    /// <summary>
    /// Writes a folder-per-class dataset (the layout <c>ImageFileDataset.FromClassFolders</c> reads) of
    /// <paramref name="classes"/> x <paramref name="perClass"/> real image files named after <see cref="ShapeNames"/>:
    /// <c>directory/circle/0.png</c>, <c>directory/square/0.png</c>, ...
    /// </summary>
    /// <param name="directory">The dataset root; created if needed. Files of the same names are replaced.</param>
    /// <param name="classes">Number of classes, 2 to 12.</param>
    /// <param name="perClass">Images per class, at least 1.</param>
    /// <param name="size">Width and height in pixels, at least 16.</param>
    /// <param name="seed">Seed; the same arguments give the same files.</param>
    /// <param name="format">PNG (default: lossless, so decoding gives back exactly <see cref="Render"/>'s pixels, and no
    /// native library is needed) or JPEG (quality 90; needs libturbojpeg).</param>
    /// <returns>What was written: the root, class names in label order, and every file with its label.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    /// <exception cref="NativeLibraryMissingException">JPEG was asked for and libturbojpeg is not installed.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static SyntheticImageSet WriteClassFolders(string directory, int classes = 2, int perClass = 8, int size = DefaultSize,
        int seed = 0, SyntheticImageFormat format = SyntheticImageFormat.Png) =>
        WriteClassFolders(directory, ShapeClassNames(classes), perClass, size, seed, format);

    /// <summary>
    /// Writes a folder-per-class dataset with your own class (folder) names: class <c>i</c> is written to
    /// <c>directory/classNames[i]/</c> and drawn as shape <c>i</c> of <see cref="ShapeNames"/>. File names are the image
    /// index, zero-padded so that ordinal order is numeric order (<c>00.png</c> ... <c>11.png</c>).
    /// <c>ImageFileDataset.FromClassFolders</c> sorts class folders by name, so its labels follow sorted names, not
    /// necessarily the order given here.
    /// </summary>
    /// <param name="directory">The dataset root; created if needed. Files of the same names are replaced.</param>
    /// <param name="classNames">2 to 12 distinct names (ignoring case), each usable as a folder name on every OS.</param>
    /// <param name="perClass">Images per class, at least 1.</param>
    /// <param name="size">Width and height in pixels, at least 16.</param>
    /// <param name="seed">Seed; the same arguments give the same files.</param>
    /// <param name="format">PNG (default) or JPEG (needs libturbojpeg).</param>
    /// <returns>What was written: the root, class names in the order given, and every file with its label.</returns>
    /// <exception cref="ArgumentException">A class name is empty, repeated, or not a portable folder name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">There are fewer than 2 or more than 12 classes, or another argument is out of range.</exception>
    /// <exception cref="NativeLibraryMissingException">JPEG was asked for and libturbojpeg is not installed.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static SyntheticImageSet WriteClassFolders(string directory, IReadOnlyList<string> classNames, int perClass = 8,
        int size = DefaultSize, int seed = 0, SyntheticImageFormat format = SyntheticImageFormat.Png)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        CheckClassNames(classNames);
        foreach (string name in classNames)
        {
            if (name is "." or ".." || name.IndexOfAny(UnportableNameChars) >= 0 || name.Any(char.IsControl) || name != name.Trim())
            {
                throw new ArgumentException($"Class name '{name}' cannot be a folder name on every OS.", nameof(classNames));
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(perClass, 1);
        CheckSize(size);
        string root = Path.GetFullPath(directory);
        string digits = "D" + (perClass - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        var files = new List<string>(classNames.Count * perClass);
        var labels = new List<int>(files.Capacity);
        for (int label = 0; label < classNames.Count; label++)
        {
            string folder = Path.Combine(root, classNames[label]);
            Directory.CreateDirectory(folder);
            for (int n = 0; n < perClass; n++)
            {
                string path = Path.Combine(folder, n.ToString(digits, System.Globalization.CultureInfo.InvariantCulture) + Extension(format));
                File.WriteAllBytes(path, Encode(label, n, size, seed, format));
                files.Add(path);
                labels.Add(label);
            }
        }

        return new SyntheticImageSet(root, root, null, [.. classNames], files, labels, [], []);
    }

    /// <summary>
    /// Writes a broken image file: a valid picture cut to 60% of its bytes, as an interrupted download leaves it.
    /// <c>ImageDecoder</c> rejects it with <see cref="ImageDecodeFailure.Truncated"/>, and training skips and reports it
    /// under the default bad-image policy. Put one into a class folder to test how your code handles bad files; for
    /// every kind of bad file at once, see <see cref="BadImageFolder.Write"/>.
    /// </summary>
    /// <param name="path">The file to write; its folder must exist. An existing file is replaced.</param>
    /// <param name="format">PNG (default) or JPEG (needs libturbojpeg to write).</param>
    /// <param name="size">Width and height of the picture, at least 16.</param>
    /// <param name="seed">Seed of the picture.</param>
    /// <returns>The full path written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    /// <exception cref="NativeLibraryMissingException">JPEG was asked for and libturbojpeg is not installed.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static string WriteTruncatedImage(string path, SyntheticImageFormat format = SyntheticImageFormat.Png, int size = DefaultSize, int seed = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] whole = Encode(0, 0, size, seed, format);
        string full = Path.GetFullPath(path);
        File.WriteAllBytes(full, whole[..(whole.Length * 6 / 10)]);
        return full;
    }
}

using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Data.Synthetic;

namespace TransferKit.Testing;

/// <summary>
/// Small, seeded image classification data for unit tests, drawn by <see cref="SyntheticImageTask.Shapes"/>: class
/// <c>i</c> is the task's <c>i</c>-th shape (circle, square, triangle, star, ...) at a random colour, position, size
/// and rotation on a cluttered background, so a CNN has something real to learn. The same arguments always give the
/// same pixels, and image <c>n</c> of class <c>c</c> is the same picture whether it is rendered, kept in memory
/// (<see cref="InMemory(int, int, int, int)"/>) or written to a file (<see cref="WriteClassFolders(string, int, int, int, int, SyntheticImageFormat)"/>).
/// </summary>
public static partial class TestImages
{
    /// <summary>The default image width and height in pixels.</summary>
    public const int DefaultSize = 32;

    /// <summary>The names of the classes that can be drawn, in label order; there are 12.</summary>
    public static IReadOnlyList<string> ShapeNames => SyntheticImageTask.Shapes.ClassNames;

    /// <summary>Renders image <paramref name="index"/> of class <paramref name="label"/>.</summary>
    /// <param name="label">The class, in [0, 12): the <see cref="ShapeNames"/> entry to draw.</param>
    /// <param name="index">Which image of the class; different indices give different pictures of the same shape.</param>
    /// <param name="size">Width and height in pixels, at least 16.</param>
    /// <param name="seed">Seed of the whole set the image belongs to.</param>
    /// <returns>RGB pixels, <paramref name="size"/> x <paramref name="size"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the parameter name says which.</exception>
    public static DecodedImage Render(int label, int index = 0, int size = DefaultSize, int seed = 0)
    {
        CheckLabel(label);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        CheckSize(size);
        return SyntheticImageTask.Shapes.Render(label, size, size, ImageSeed(seed, label, index));
    }

    /// <summary>Renders an image as <see cref="Render"/> does and encodes it as a whole file, ready for <c>Predict(bytes)</c>.</summary>
    /// <param name="label">The class, in [0, 12).</param>
    /// <param name="index">Which image of the class.</param>
    /// <param name="size">Width and height in pixels, at least 16.</param>
    /// <param name="seed">Seed of the set.</param>
    /// <param name="format">PNG (default; lossless and managed) or JPEG (quality 90; needs libturbojpeg).</param>
    /// <returns>The encoded file's bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    /// <exception cref="NativeLibraryMissingException">JPEG was asked for and libturbojpeg is not installed.</exception>
    public static byte[] Encode(int label, int index = 0, int size = DefaultSize, int seed = 0, SyntheticImageFormat format = SyntheticImageFormat.Png) =>
        EncodeImage(Render(label, index, size, seed), format);

    /// <summary>
    /// A labelled in-memory dataset of <paramref name="classes"/> x <paramref name="perClass"/> decoded images named after
    /// <see cref="ShapeNames"/>. Samples alternate between classes (0, 1, ..., 0, 1, ...), so any prefix is balanced.
    /// No file and no native library is involved.
    /// </summary>
    /// <param name="classes">Number of classes, 2 to 12.</param>
    /// <param name="perClass">Images per class, at least 1.</param>
    /// <param name="size">Width and height in pixels, at least 16.</param>
    /// <param name="seed">Seed; the same arguments give the same images.</param>
    /// <returns>The dataset; sample names are <c>"circle/0"</c>, <c>"square/0"</c>, ...</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static InMemoryImageDataset InMemory(int classes = 2, int perClass = 8, int size = DefaultSize, int seed = 0) =>
        InMemory(ShapeClassNames(classes), perClass, size, seed);

    /// <summary>
    /// A labelled in-memory dataset with your own class names: class <c>i</c> is named <paramref name="classNames"/>[i] and
    /// drawn as shape <c>i</c> of <see cref="ShapeNames"/>. Samples alternate between classes.
    /// </summary>
    /// <param name="classNames">2 to 12 distinct, non-empty names in label order.</param>
    /// <param name="perClass">Images per class, at least 1.</param>
    /// <param name="size">Width and height in pixels, at least 16.</param>
    /// <param name="seed">Seed; the same arguments give the same images.</param>
    /// <returns>The dataset; sample names are <c>"&lt;class&gt;/&lt;n&gt;"</c>.</returns>
    /// <exception cref="ArgumentException">A class name is empty or repeated.</exception>
    /// <exception cref="ArgumentOutOfRangeException">There are fewer than 2 or more than 12 classes, or another argument is out of range.</exception>
    public static InMemoryImageDataset InMemory(IReadOnlyList<string> classNames, int perClass = 8, int size = DefaultSize, int seed = 0)
    {
        CheckClassNames(classNames);
        ArgumentOutOfRangeException.ThrowIfLessThan(perClass, 1);
        CheckSize(size);
        var images = new List<DecodedImage>(classNames.Count * perClass);
        var labels = new List<int>(images.Capacity);
        var names = new List<string>(images.Capacity);
        for (int n = 0; n < perClass; n++)
        {
            for (int label = 0; label < classNames.Count; label++)
            {
                images.Add(Render(label, n, size, seed));
                labels.Add(label);
                names.Add($"{classNames[label]}/{n}");
            }
        }

        return InMemoryImageDataset.FromDecoded(images, labels, classNames, names);
    }

    /// <summary>The first <paramref name="classes"/> shape names.</summary>
    private static string[] ShapeClassNames(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classes, ShapeNames.Count);
        return [.. ShapeNames.Take(classes)];
    }

    private static void CheckClassNames(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count < 2 || classNames.Count > ShapeNames.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(classNames), classNames.Count,
                $"Between 2 and {ShapeNames.Count} classes can be drawn (one per shape), got {classNames.Count}.");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in classNames)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("Class names must not be empty.", nameof(classNames));
            }

            // Case-insensitive: the names become folder names, and "Cat" and "cat" are one folder on Windows and macOS.
            if (!seen.Add(name))
            {
                throw new ArgumentException($"Class name '{name}' appears twice (names are compared ignoring case).", nameof(classNames));
            }
        }
    }

    private static void CheckLabel(int label)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(label);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(label, ShapeNames.Count);
    }

    private static void CheckSize(int size) => ArgumentOutOfRangeException.ThrowIfLessThan(size, 16);

    private static byte[] EncodeImage(DecodedImage image, SyntheticImageFormat format) => format switch
    {
        SyntheticImageFormat.Png => PngEncoder.Encode(image),
        SyntheticImageFormat.Jpeg => JpegEncoder.Encode(image, quality: 90),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown image format."),
    };

    private static string Extension(SyntheticImageFormat format) => format == SyntheticImageFormat.Jpeg ? ".jpg" : ".png";

    /// <summary>
    /// The seed of one picture: a SplitMix64-style mix of (set seed, class, index), so that neighbouring seeds, classes
    /// and indices give unrelated pictures. <see cref="HashCode"/> is not used: it is randomised per process.
    /// </summary>
    private static int ImageSeed(int seed, int label, int index)
    {
        ulong z = unchecked(((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) + ((ulong)(uint)label * 0xD1B54A32D192ED03UL) + (uint)index);
        z = unchecked((z ^ (z >> 31)) * 0x94D049BB133111EBUL);
        z = unchecked((z ^ (z >> 29)) * 0xBF58476D1CE4E5B9UL);
        return unchecked((int)(z ^ (z >> 32)));
    }
}

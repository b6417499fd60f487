using TransferKit.Data.Decoding;

namespace TransferKit.Data.Datasets;

/// <summary>
/// Fashion-MNIST (Zalando's 28x28 greyscale photos of clothing in 10 classes) or any dataset in the same IDX layout,
/// such as MNIST. The files are read into memory whole (47 MB for the train images); a sample decodes to a 28x28 RGB
/// image with the grey value in all three channels, which the model's preprocessing then resizes to its input size.
/// </summary>
public sealed class FashionMnistDataset : IImageDataset, ISampleContent
{
    /// <summary>Where Debian's and Ubuntu's <c>dataset-fashion-mnist</c> package installs the files.</summary>
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    private readonly byte[] _pixels;
    private readonly byte[] _labels;
    private readonly string _imagesPath;
    private readonly string[] _classNames;

    private FashionMnistDataset(byte[] pixels, byte[] labels, int height, int width, string imagesPath, string[] classNames)
    {
        _pixels = pixels;
        _labels = labels;
        Height = height;
        Width = width;
        _imagesPath = imagesPath;
        _classNames = classNames;
    }

    /// <summary>Fashion-MNIST's class names in label order.</summary>
    public static IReadOnlyList<string> StandardClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <inheritdoc/>
    public int Count => _labels.Length;

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <inheritdoc/>
    public bool IsLabeled => true;

    /// <summary>Image height in pixels (28 for Fashion-MNIST).</summary>
    public int Height { get; }

    /// <summary>Image width in pixels (28 for Fashion-MNIST).</summary>
    public int Width { get; }

    /// <summary>
    /// Reads the train or test split from <paramref name="directory"/> (default <see cref="DebianDirectory"/>), which
    /// holds <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c> and
    /// <c>t10k-labels-idx1-ubyte</c>, each plain or gzip-compressed with a <c>.gz</c> suffix.
    /// </summary>
    /// <exception cref="DatasetException">The folder or a file is missing or damaged, the files disagree on the number of
    /// images, or a label is not a class; the message names the file.</exception>
    public static FashionMnistDataset Load(string? directory = null, FashionMnistSplit split = FashionMnistSplit.Train)
    {
        directory = Path.GetFullPath(directory ?? DebianDirectory);
        DatasetFiles.RequireDirectory(directory, "Fashion-MNIST folder");
        string prefix = split == FashionMnistSplit.Train ? "train" : "t10k";
        return LoadFiles(Find(directory, $"{prefix}-images-idx3-ubyte"), Find(directory, $"{prefix}-labels-idx1-ubyte"));
    }

    /// <summary>Reads an images file (3 dimensions: count, rows, columns) and its labels file (1 dimension).</summary>
    /// <param name="imagesPath">The IDX images file, plain or gzip-compressed.</param>
    /// <param name="labelsPath">The IDX labels file, plain or gzip-compressed.</param>
    /// <param name="classNames">Class names in label order; null for <see cref="StandardClassNames"/>.</param>
    /// <exception cref="DatasetException">A file is missing or damaged, the counts differ, or a label is not below the
    /// number of classes.</exception>
    /// <exception cref="ArgumentException">An empty or repeated class name.</exception>
    public static FashionMnistDataset LoadFiles(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        ArgumentException.ThrowIfNullOrEmpty(labelsPath);
        string[] classes = DatasetChecks.ClassNames(classNames ?? StandardClassNames, nameof(classNames));
        imagesPath = Path.GetFullPath(imagesPath);
        labelsPath = Path.GetFullPath(labelsPath);
        IdxFile images = IdxFile.Read(imagesPath, expectedDimensions: 3);
        IdxFile labels = IdxFile.Read(labelsPath, expectedDimensions: 1);
        if (images.Dimensions[0] != labels.Dimensions[0])
        {
            throw new DatasetException(labelsPath,
                $"holds {labels.Dimensions[0]:N0} labels but {Path.GetFileName(imagesPath)} holds {images.Dimensions[0]:N0} images");
        }

        int bad = Array.FindIndex(labels.Values, l => l >= classes.Length);
        if (bad >= 0)
        {
            throw new DatasetException(labelsPath, $"label {bad} is {labels.Values[bad]}, but there are {classes.Length} classes");
        }

        return new FashionMnistDataset(images.Values, labels.Values, images.Dimensions[1], images.Dimensions[2], imagesPath, classes);
    }

    /// <inheritdoc/>
    public int GetLabel(int index)
    {
        DatasetChecks.Index(index, Count);
        return _labels[index];
    }

    /// <inheritdoc/>
    public string GetSourceName(int index)
    {
        DatasetChecks.Index(index, Count);
        return $"{_imagesPath}#{index}";
    }

    /// <inheritdoc/>
    ReadOnlyMemory<byte>? ISampleContent.GetSampleContent(int index)
    {
        DatasetChecks.Index(index, Count);
        return _pixels.AsMemory(index * Height * Width, Height * Width);
    }

    /// <inheritdoc/>
    /// <remarks>Never fails for a valid index: the files were validated on load. <paramref name="options"/> is ignored.</remarks>
    public DecodedImage Decode(int index, ImageDecodeOptions? options = null)
    {
        DatasetChecks.Index(index, Count);
        int plane = Height * Width;
        ReadOnlySpan<byte> grey = _pixels.AsSpan(index * plane, plane);
        var rgb = new byte[plane * DecodedImage.Channels];
        for (int p = 0; p < plane; p++)
        {
            rgb[3 * p] = rgb[(3 * p) + 1] = rgb[(3 * p) + 2] = grey[p];
        }

        return new DecodedImage(Width, Height, rgb);
    }

    private static string Find(string directory, string name)
    {
        string plain = Path.Combine(directory, name);
        string gzip = plain + ".gz";
        return File.Exists(plain) ? plain : File.Exists(gzip) ? gzip : throw new DatasetException(plain, "does not exist (nor with .gz)");
    }
}

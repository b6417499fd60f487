using TransferKit.Data.Decoding;

namespace TransferKit.Data.Datasets;

/// <summary>
/// Images stored one per file, each with a label or none. The static factories read the common layouts: a folder per
/// class (<see cref="FromClassFolders"/>, as torchvision's ImageFolder and Microsoft's PetImages), class-prefixed file
/// names (<see cref="FromFileNamePrefixes"/>, as Kaggle's Dogs vs Cats train/), and a plain folder of unlabelled images
/// (<see cref="FromUnlabeledFolder"/>, as its test1/). Files are read only when decoded; their format is sniffed from
/// the content, never from the extension.
/// </summary>
public sealed partial class ImageFileDataset : IImageDataset
{
    private readonly string[] _paths;
    private readonly int[]? _labels;
    private readonly string[] _classNames;

    /// <summary>A labelled dataset over the given files.</summary>
    /// <param name="paths">One file per sample.</param>
    /// <param name="labels">One label per sample, each in [0, classNames.Count).</param>
    /// <param name="classNames">The class names, distinct and non-empty.</param>
    /// <exception cref="ArgumentException">The counts differ, a label is out of range, or a class name is empty or repeated.</exception>
    public ImageFileDataset(IReadOnlyList<string> paths, IReadOnlyList<int> labels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        _paths = CopyPaths(paths);
        _classNames = DatasetChecks.ClassNames(classNames, nameof(classNames));
        _labels = DatasetChecks.Labels(labels, _paths.Length, _classNames.Length, nameof(labels));
    }

    /// <summary>An unlabelled dataset over the given files (for prediction).</summary>
    /// <param name="paths">One file per sample.</param>
    /// <exception cref="ArgumentException">A path is null or empty.</exception>
    public ImageFileDataset(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _paths = CopyPaths(paths);
        _classNames = [];
    }

    /// <inheritdoc/>
    public int Count => _paths.Length;

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <inheritdoc/>
    public bool IsLabeled => _labels is not null;

    /// <summary>The file of every sample, in index order.</summary>
    public IReadOnlyList<string> Paths => _paths;

    /// <inheritdoc/>
    public int GetLabel(int index)
    {
        DatasetChecks.Index(index, _paths.Length);
        return _labels is null ? IImageDataset.NoLabel : _labels[index];
    }

    /// <inheritdoc/>
    public string GetSourceName(int index)
    {
        DatasetChecks.Index(index, _paths.Length);
        return _paths[index];
    }

    /// <inheritdoc/>
    public DecodedImage Decode(int index, ImageDecodeOptions? options = null)
    {
        DatasetChecks.Index(index, _paths.Length);
        return ImageDecoder.Decode(_paths[index], options);
    }

    private static string[] CopyPaths(IReadOnlyList<string> paths)
    {
        var copy = paths.ToArray();
        for (int i = 0; i < copy.Length; i++)
        {
            if (string.IsNullOrEmpty(copy[i]))
            {
                throw new ArgumentException($"Path {i} is null or empty.", nameof(paths));
            }
        }

        return copy;
    }
}

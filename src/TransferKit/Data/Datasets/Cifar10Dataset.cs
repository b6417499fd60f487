using TransferKit.Data.Decoding;

namespace TransferKit.Data.Datasets;

/// <summary>
/// CIFAR-10 in its binary form ("CIFAR-10 binary version (suitable for C programs)"): each file is a run of 3073-byte
/// records, one label byte then a 32x32 image as 1024 red, 1024 green and 1024 blue bytes, rows top to bottom.
/// The files are read into memory whole (about 150 MB for the train split); decoding a sample only interleaves its planes.
/// </summary>
public sealed class Cifar10Dataset : IImageDataset, ISampleContent
{
    /// <summary>Image width and height in pixels.</summary>
    public const int ImageSize = 32;

    /// <summary>Bytes per record: one label byte and 3 * 32 * 32 pixel bytes.</summary>
    public const int RecordBytes = 1 + (3 * ImageSize * ImageSize);

    /// <summary>The file in the binary distribution that names the classes, one per line.</summary>
    public const string MetaFileName = "batches.meta.txt";

    private const int PlaneBytes = ImageSize * ImageSize;
    private readonly byte[][] _files;
    private readonly string[] _fileNames;
    private readonly int[] _firstIndex; // sample index of each file's first record, plus the total at the end
    private readonly string[] _classNames;

    private Cifar10Dataset(byte[][] files, string[] fileNames, string[] classNames)
    {
        _files = files;
        _fileNames = fileNames;
        _classNames = classNames;
        _firstIndex = new int[files.Length + 1];
        for (int f = 0; f < files.Length; f++)
        {
            _firstIndex[f + 1] = _firstIndex[f] + (files[f].Length / RecordBytes);
        }
    }

    /// <summary>The class names used when no batches.meta.txt is present, in label order.</summary>
    public static IReadOnlyList<string> StandardClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <inheritdoc/>
    public int Count => _firstIndex[^1];

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <inheritdoc/>
    public bool IsLabeled => true;

    /// <summary>The batch files read, in sample order.</summary>
    public IReadOnlyList<string> Files => _fileNames;

    /// <summary>
    /// Reads the train or test batches from the extracted archive: <paramref name="directory"/> is the
    /// cifar-10-batches-bin folder or the folder that contains it. Class names come from batches.meta.txt when present,
    /// otherwise <see cref="StandardClassNames"/>.
    /// </summary>
    /// <exception cref="DatasetException">A batch file is missing, its size is not a positive multiple of 3073 bytes,
    /// or a label is not a class; the message names the file.</exception>
    public static Cifar10Dataset Load(string directory, Cifar10Split split = Cifar10Split.Train)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        directory = Path.GetFullPath(directory);
        string nested = Path.Combine(directory, "cifar-10-batches-bin");
        if (!File.Exists(Path.Combine(directory, "test_batch.bin")) && Directory.Exists(nested))
        {
            directory = nested;
        }

        DatasetFiles.RequireDirectory(directory, "CIFAR-10 folder");
        string[] names = split == Cifar10Split.Train
            ? [.. Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin")]
            : ["test_batch.bin"];
        string meta = Path.Combine(directory, MetaFileName);
        return LoadFiles([.. names.Select(n => Path.Combine(directory, n))], File.Exists(meta) ? ReadClassNames(meta) : null);
    }

    /// <summary>Reads the given batch files, in order.</summary>
    /// <param name="batchFiles">CIFAR-10 binary batch files.</param>
    /// <param name="classNames">Class names in label order; null for <see cref="StandardClassNames"/>.</param>
    /// <exception cref="DatasetException">A file is missing or unreadable, its size is not a positive multiple of 3073
    /// bytes, or a label byte is not below the number of classes.</exception>
    /// <exception cref="ArgumentException">No files, or an empty or repeated class name.</exception>
    public static Cifar10Dataset LoadFiles(IReadOnlyList<string> batchFiles, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(batchFiles);
        if (batchFiles.Count == 0)
        {
            throw new ArgumentException("At least one batch file is needed.", nameof(batchFiles));
        }

        string[] classes = DatasetChecks.ClassNames(classNames ?? StandardClassNames, nameof(classNames));
        var data = new byte[batchFiles.Count][];
        for (int f = 0; f < batchFiles.Count; f++)
        {
            string path = Path.GetFullPath(batchFiles[f]);
            data[f] = ReadBatch(path);
            ValidateLabels(data[f], path, classes.Length);
        }

        return new Cifar10Dataset(data, [.. batchFiles.Select(Path.GetFullPath)], classes);
    }

    /// <summary>Reads class names from a batches.meta.txt: one per line, blank lines ignored.</summary>
    /// <exception cref="DatasetException">The file cannot be read or names no class.</exception>
    public static IReadOnlyList<string> ReadClassNames(string metaFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(metaFile);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(metaFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException(metaFile, $"cannot be read ({ex.Message})", ex);
        }

        string[] names = [.. lines.Select(l => l.Trim()).Where(l => l.Length > 0)];
        if (names.Length == 0)
        {
            throw new DatasetException(metaFile, "names no classes");
        }

        return names;
    }

    /// <inheritdoc/>
    public int GetLabel(int index)
    {
        (int file, int record) = Locate(index);
        return _files[file][record * RecordBytes];
    }

    /// <inheritdoc/>
    public string GetSourceName(int index)
    {
        (int file, int record) = Locate(index);
        return $"{_fileNames[file]}#{record}";
    }

    /// <inheritdoc/>
    ReadOnlyMemory<byte>? ISampleContent.GetSampleContent(int index)
    {
        (int file, int record) = Locate(index);
        return _files[file].AsMemory(record * RecordBytes, RecordBytes);
    }

    /// <inheritdoc/>
    /// <remarks>Never fails for a valid index: the records were validated on load. <paramref name="options"/> is ignored.</remarks>
    public DecodedImage Decode(int index, ImageDecodeOptions? options = null)
    {
        (int file, int record) = Locate(index);
        ReadOnlySpan<byte> planes = _files[file].AsSpan((record * RecordBytes) + 1, RecordBytes - 1);
        var rgb = new byte[PlaneBytes * 3];
        for (int p = 0; p < PlaneBytes; p++)
        {
            rgb[3 * p] = planes[p];
            rgb[(3 * p) + 1] = planes[PlaneBytes + p];
            rgb[(3 * p) + 2] = planes[(2 * PlaneBytes) + p];
        }

        return new DecodedImage(ImageSize, ImageSize, rgb);
    }

    private (int File, int Record) Locate(int index)
    {
        DatasetChecks.Index(index, Count);
        // Every file holds at least one record, so _firstIndex is strictly increasing.
        int file = Array.BinarySearch(_firstIndex, index);
        file = file >= 0 ? file : ~file - 1;
        return (file, index - _firstIndex[file]);
    }

    private static byte[] ReadBatch(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new DatasetException(path, "CIFAR-10 batch file does not exist");
            }

            if (info.Length == 0 || info.Length % RecordBytes != 0)
            {
                throw new DatasetException(path,
                    $"size {info.Length:N0} bytes is not a positive multiple of the {RecordBytes}-byte CIFAR-10 record "
                    + $"({info.Length / RecordBytes} whole records and {info.Length % RecordBytes} bytes over); is this the binary version?");
            }

            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException(path, $"cannot be read ({ex.Message})", ex);
        }
    }

    private static void ValidateLabels(byte[] data, string path, int classCount)
    {
        for (int r = 0, offset = 0; offset < data.Length; r++, offset += RecordBytes)
        {
            if (data[offset] >= classCount)
            {
                throw new DatasetException(path, $"record {r} has label {data[offset]}, but there are {classCount} classes");
            }
        }
    }
}

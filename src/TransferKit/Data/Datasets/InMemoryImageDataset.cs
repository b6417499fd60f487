using TransferKit.Data.Decoding;

namespace TransferKit.Data.Datasets;

/// <summary>
/// Images held in memory, either encoded (JPEG, PNG, ... bytes decoded on each access) or already decoded
/// (<see cref="DecodedImage"/> pixels returned as they are), with optional labels.
/// </summary>
public sealed class InMemoryImageDataset : IImageDataset, ISampleContent
{
    private readonly byte[][]? _encoded;
    private readonly DecodedImage[]? _decoded;
    private readonly int[]? _labels;
    private readonly string[] _classNames;
    private readonly string[] _names;

    private InMemoryImageDataset(byte[][]? encoded, DecodedImage[]? decoded, int count, IReadOnlyList<int>? labels,
        IReadOnlyList<string>? classNames, IReadOnlyList<string>? names)
    {
        _encoded = encoded;
        _decoded = decoded;
        if (labels is null)
        {
            if (classNames is { Count: > 0 })
            {
                throw new ArgumentException("Class names need labels.", nameof(classNames));
            }

            _classNames = [];
        }
        else
        {
            ArgumentNullException.ThrowIfNull(classNames);
            _classNames = DatasetChecks.ClassNames(classNames, nameof(classNames));
            _labels = DatasetChecks.Labels(labels, count, _classNames.Length, nameof(labels));
        }

        if (names is not null && names.Count != count)
        {
            throw new ArgumentException($"Expected {count} names (one per sample), got {names.Count}.", nameof(names));
        }

        _names = names?.ToArray() ?? [.. Enumerable.Range(0, count).Select(i => $"memory#{i}")];
    }

    /// <inheritdoc/>
    public int Count => _names.Length;

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <inheritdoc/>
    public bool IsLabeled => _labels is not null;

    /// <summary>Encoded images (each a whole file in any supported format), decoded on every access.</summary>
    /// <param name="images">The encoded files; the arrays are kept, not copied.</param>
    /// <param name="labels">One label per image, or null for an unlabelled dataset.</param>
    /// <param name="classNames">The classes in label order; null or empty when <paramref name="labels"/> is null.</param>
    /// <param name="names">A display name per image; null for "memory#i".</param>
    /// <exception cref="ArgumentException">A count does not match, an image is null, or a label is out of range.</exception>
    public static InMemoryImageDataset FromEncoded(IReadOnlyList<byte[]> images, IReadOnlyList<int>? labels = null,
        IReadOnlyList<string>? classNames = null, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        byte[][] copy = [.. images];
        if (Array.IndexOf(copy, null) is int bad and >= 0)
        {
            throw new ArgumentException($"Image {bad} is null.", nameof(images));
        }

        return new InMemoryImageDataset(copy, null, copy.Length, labels, classNames, names);
    }

    /// <summary>Decoded images (RGB pixel arrays), returned without copying.</summary>
    /// <param name="images">The images; kept, not copied.</param>
    /// <param name="labels">One label per image, or null for an unlabelled dataset.</param>
    /// <param name="classNames">The classes in label order; null or empty when <paramref name="labels"/> is null.</param>
    /// <param name="names">A display name per image; null for "memory#i".</param>
    /// <exception cref="ArgumentException">A count does not match, an image is null, or a label is out of range.</exception>
    public static InMemoryImageDataset FromDecoded(IReadOnlyList<DecodedImage> images, IReadOnlyList<int>? labels = null,
        IReadOnlyList<string>? classNames = null, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        DecodedImage[] copy = [.. images];
        if (Array.IndexOf(copy, null) is int bad and >= 0)
        {
            throw new ArgumentException($"Image {bad} is null.", nameof(images));
        }

        return new InMemoryImageDataset(null, copy, copy.Length, labels, classNames, names);
    }

    /// <inheritdoc/>
    public int GetLabel(int index)
    {
        DatasetChecks.Index(index, Count);
        return _labels is null ? IImageDataset.NoLabel : _labels[index];
    }

    /// <inheritdoc/>
    public string GetSourceName(int index)
    {
        DatasetChecks.Index(index, Count);
        return _names[index];
    }

    /// <inheritdoc/>
    ReadOnlyMemory<byte>? ISampleContent.GetSampleContent(int index)
    {
        DatasetChecks.Index(index, Count);
        return _encoded is not null ? _encoded[index] : _decoded![index].Pixels;
    }

    /// <inheritdoc/>
    /// <remarks>Decoded images are returned as stored and ignore <paramref name="options"/>.</remarks>
    public DecodedImage Decode(int index, ImageDecodeOptions? options = null)
    {
        DatasetChecks.Index(index, Count);
        return _decoded is not null ? _decoded[index] : ImageDecoder.Decode(_encoded![index], _names[index], options);
    }
}

using TransferKit.Data.Decoding;

namespace TransferKit.Data.Datasets;

/// <summary>
/// A fixed, indexed collection of images with optional class labels: a folder of files, a CIFAR-10 batch, images held
/// in memory, or a subset of another dataset. Indices run from 0 to <see cref="Count"/> - 1 and never change, so a seed
/// and an index identify a sample everywhere (shuffling, splits, augmentation, bad-image reports).
/// </summary>
/// <remarks>Implementations are thread-safe for reading: the loader and the scanner call <see cref="Decode"/> from
/// several threads at once.</remarks>
public interface IImageDataset
{
    /// <summary>The label of every sample of an unlabelled dataset (for example Kaggle's test1 folder).</summary>
    const int NoLabel = -1;

    /// <summary>Number of samples.</summary>
    int Count { get; }

    /// <summary>Class names; label <c>k</c> means <c>ClassNames[k]</c>. Empty for an unlabelled dataset.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>Whether samples carry labels; when false <see cref="GetLabel"/> returns <see cref="NoLabel"/>.</summary>
    bool IsLabeled { get; }

    /// <summary>The label of sample <paramref name="index"/>, in [0, ClassNames.Count), or <see cref="NoLabel"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, Count).</exception>
    int GetLabel(int index);

    /// <summary>A name for the sample in reports and errors: a file path, or "file#record" for records inside a file.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, Count).</exception>
    string GetSourceName(int index);

    /// <summary>
    /// Reads and decodes sample <paramref name="index"/> to 8-bit RGB. The returned image may be shared (in-memory
    /// datasets return their own instance): treat its pixels as read-only.
    /// </summary>
    /// <param name="index">The sample, in [0, Count).</param>
    /// <param name="options">Decoder limits; <see cref="ImageDecodeOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, Count).</exception>
    /// <exception cref="ImageDecodeException">The sample is unreadable or not a decodable image; its
    /// <see cref="ImageDecodeException.SourceName"/> is <see cref="GetSourceName"/>.</exception>
    DecodedImage Decode(int index, ImageDecodeOptions? options = null);
}

using TransferKit.Data.Decoding;

namespace TransferKit.Data.Datasets;

/// <summary>
/// A view of some samples of another dataset, in a given order; sample <c>i</c> is the parent's sample
/// <c>Indices[i]</c>. Labels, class names and source names are the parent's.
/// </summary>
public sealed class DatasetSubset : IImageDataset, ISampleContent
{
    private readonly int[] _indices;

    /// <summary>Creates the view.</summary>
    /// <param name="parent">The dataset to draw from.</param>
    /// <param name="indices">Indices into <paramref name="parent"/>; copied. Repeats are allowed (oversampling).</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the parent.</exception>
    public DatasetSubset(IImageDataset parent, IEnumerable<int> indices)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(indices);
        Parent = parent;
        _indices = [.. indices];
        foreach (int index in _indices)
        {
            if ((uint)index >= (uint)parent.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Subset index must be in [0, {parent.Count}).");
            }
        }
    }

    /// <summary>The dataset this view draws from.</summary>
    public IImageDataset Parent { get; }

    /// <summary>The parent's index of every sample, in order.</summary>
    public IReadOnlyList<int> Indices => _indices;

    /// <inheritdoc/>
    public int Count => _indices.Length;

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames => Parent.ClassNames;

    /// <inheritdoc/>
    public bool IsLabeled => Parent.IsLabeled;

    /// <inheritdoc/>
    public int GetLabel(int index) => Parent.GetLabel(ParentIndex(index));

    /// <inheritdoc/>
    public string GetSourceName(int index) => Parent.GetSourceName(ParentIndex(index));

    /// <inheritdoc/>
    ReadOnlyMemory<byte>? ISampleContent.GetSampleContent(int index) =>
        Parent is ISampleContent content ? content.GetSampleContent(ParentIndex(index)) : null;

    /// <inheritdoc/>
    public DecodedImage Decode(int index, ImageDecodeOptions? options = null) => Parent.Decode(ParentIndex(index), options);

    /// <summary>The parent's index of sample <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, Count).</exception>
    public int ParentIndex(int index)
    {
        DatasetChecks.Index(index, _indices.Length);
        return _indices[index];
    }
}

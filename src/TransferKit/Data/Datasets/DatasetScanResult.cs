namespace TransferKit.Data.Datasets;

/// <summary>What a <see cref="DatasetScanner"/> scan found.</summary>
public sealed class DatasetScanResult
{
    internal DatasetScanResult(IImageDataset dataset, BadImageReport badImages, TimeSpan elapsed)
    {
        Dataset = dataset;
        BadImages = badImages;
        Elapsed = elapsed;
        Valid = new DatasetSubset(dataset, Enumerable.Range(0, dataset.Count).Where(i => !badImages.Contains(i)));
    }

    /// <summary>The dataset that was scanned.</summary>
    public IImageDataset Dataset { get; }

    /// <summary>Every sample that failed to decode, with its reason.</summary>
    public BadImageReport BadImages { get; }

    /// <summary>The samples that decoded, in index order: train on this for batches with no gaps.</summary>
    public DatasetSubset Valid { get; }

    /// <summary>Wall-clock time of the scan.</summary>
    public TimeSpan Elapsed { get; }
}

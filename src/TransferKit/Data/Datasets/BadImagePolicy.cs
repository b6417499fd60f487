namespace TransferKit.Data.Datasets;

/// <summary>What to do with an image that cannot be decoded (empty, truncated, not an image, too large, ...).</summary>
public enum BadImagePolicy
{
    /// <summary>
    /// Leave the sample out and go on; every skipped sample is listed once, with its reason, in a
    /// <see cref="BadImageReport"/>. Real photo folders (Microsoft PetImages has a 0-byte file and Thumbs.db files)
    /// need this, so it is the default.
    /// </summary>
    SkipAndReport = 0,

    /// <summary>
    /// Fail with <see cref="BadImagesException"/>. <see cref="DatasetScanner"/> lists every bad file of the dataset in
    /// one exception before training starts; the loader fails on the first one it meets.
    /// </summary>
    Strict = 1,
}

namespace TransferKit.Data.Datasets;

/// <summary>
/// A dataset whose samples are not files can give the bytes that determine each sample's pixels, so that a cache
/// fingerprint covers the content instead of names that two different datasets may share ("memory#0").
/// </summary>
internal interface ISampleContent
{
    /// <summary>The bytes sample <paramref name="index"/> is decoded from (encoded file bytes, raw pixels or a record), or null when unknown.</summary>
    ReadOnlyMemory<byte>? GetSampleContent(int index);
}

using TransferKit.Data.Decoding;
using TransferKit.Kernels;

namespace TransferKit.Data.Datasets;

/// <summary>How <see cref="DatasetScanner"/> checks a dataset.</summary>
public sealed record DatasetScanOptions
{
    /// <summary>The options used when a caller passes none.</summary>
    public static DatasetScanOptions Default { get; } = new();

    /// <summary>
    /// <see cref="BadImagePolicy.SkipAndReport"/> (default) returns the report; <see cref="BadImagePolicy.Strict"/> throws
    /// <see cref="BadImagesException"/> listing every bad sample when there is at least one.
    /// </summary>
    public BadImagePolicy Policy { get; init; } = BadImagePolicy.SkipAndReport;

    /// <summary>
    /// Threads that decode at once; null (default) uses <see cref="Parallelism.DegreeOfParallelism"/>, since nothing
    /// else computes during a scan. Must be at least 1 when set.
    /// </summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>Decoder limits (pixel and file-size guards); null for <see cref="ImageDecodeOptions.Default"/>. Use the
    /// same options the loader will use, so the scan judges images as training will.</summary>
    public ImageDecodeOptions? DecodeOptions { get; init; }

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the parameter name is the property's.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Policy))
        {
            throw new ArgumentOutOfRangeException(nameof(Policy), Policy, "Unknown BadImagePolicy.");
        }

        if (MaxDegreeOfParallelism is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be at least 1 when set.");
        }

        DecodeOptions?.Validate();
    }
}

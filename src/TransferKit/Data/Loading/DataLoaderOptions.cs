using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Kernels;

namespace TransferKit.Data.Loading;

/// <summary>How a <see cref="DataLoader"/> batches, orders and decodes a dataset. Validated when the loader is built.</summary>
public sealed record DataLoaderOptions
{
    /// <summary>The options used when a caller passes none.</summary>
    public static DataLoaderOptions Default { get; } = new();

    /// <summary>Samples per batch (default 32). Must be at least 1.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Whether each epoch visits the samples in a new order drawn from (<see cref="Seed"/>, epoch) (default true).
    /// False keeps index order, for evaluation and prediction.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Whether to leave out the last batch of an epoch when it is smaller than <see cref="BatchSize"/> (default false).</summary>
    public bool DropLast { get; init; }

    /// <summary>Seed of the shuffle and of augmentation (<see cref="Preprocessing.TransformContext.Seed"/>). Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Decoding threads; null (default) means <see cref="DefaultWorkers"/>. Decoding shares the cores with training, whose
    /// kernels and GEMM already use <see cref="Parallelism.DegreeOfParallelism"/> threads, so the default takes a quarter
    /// of that budget. Must be at least 1 when set.
    /// </summary>
    public int? Workers { get; init; }

    /// <summary>
    /// Batches decoded ahead, at most (default 2): while the caller trains on batch b, batches b+1 ... b+PrefetchBatches
    /// are being decoded or wait ready. Memory is bounded by this many batch tensors plus the ones the caller holds.
    /// Must be at least 1.
    /// </summary>
    public int PrefetchBatches { get; init; } = 2;

    /// <summary>What to do with a sample that fails to decode (default <see cref="BadImagePolicy.SkipAndReport"/>).</summary>
    public BadImagePolicy BadImagePolicy { get; init; } = BadImagePolicy.SkipAndReport;

    /// <summary>
    /// Decoder limits; null for <see cref="ImageDecodeOptions.Default"/>. Setting <see cref="ImageDecodeOptions.MinimumSize"/>
    /// to the transform's output size lets JPEGs decode at a reduced scale, several times faster for large photos.
    /// </summary>
    public ImageDecodeOptions? DecodeOptions { get; init; }

    /// <summary>
    /// Most memory, in bytes, that all workers together may use for decoding at once, from a header's estimate until the
    /// decoded image has been transformed; null (default) means the per-image budget
    /// (<see cref="ImageDecodeOptions.MaxDecodeBytes"/> of <see cref="DecodeOptions"/>, 256 MiB by default). A worker whose
    /// image does not fit waits for others to finish; an image needing more than this waits until it decodes alone.
    /// Small images never wait: a 12-megapixel photo needs about 40 MB. Must be at least 1 when set.
    /// </summary>
    public long? MaxDecodeMemoryBytes { get; init; }

    /// <summary>
    /// The worker count used when <see cref="Workers"/> is null: max(1, <see cref="Parallelism.DegreeOfParallelism"/> / 4).
    /// Decoding plus resizing a photo costs a few milliseconds, a small share of a training step on the same image, so a
    /// quarter of the cores keeps the trainer fed without starving its GEMM threads. With frozen layers cached, decoding
    /// only happens in the first epoch; raise <see cref="Workers"/> when decoding is the bottleneck.
    /// </summary>
    public static int DefaultWorkers => Math.Max(1, Parallelism.DegreeOfParallelism / 4);

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the parameter name is the property's.</exception>
    public void Validate()
    {
        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        }

        if (Workers is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "Workers must be at least 1 when set.");
        }

        if (PrefetchBatches < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(PrefetchBatches), PrefetchBatches, "PrefetchBatches must be at least 1.");
        }

        if (MaxDecodeMemoryBytes is < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxDecodeMemoryBytes), MaxDecodeMemoryBytes, "MaxDecodeMemoryBytes must be at least 1 when set.");
        }

        if (!Enum.IsDefined(BadImagePolicy))
        {
            throw new ArgumentOutOfRangeException(nameof(BadImagePolicy), BadImagePolicy, "Unknown BadImagePolicy.");
        }

        DecodeOptions?.Validate();
    }
}

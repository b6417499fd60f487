using System.Collections.Concurrent;
using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Data.Preprocessing;
using TransferKit.Tensors;

namespace TransferKit.Data.Loading;

/// <summary>
/// Turns a dataset into NCHW float32 batches: decodes and transforms samples on background worker threads, at most
/// <see cref="DataLoaderOptions.PrefetchBatches"/> batches ahead of the caller, so decoding overlaps training while memory
/// stays bounded.
/// </summary>
/// <remarks>
/// <para>Determinism: the order of epoch e is a permutation drawn from (Seed, e) alone, and each sample is transformed with
/// <see cref="TransformContext"/>(Seed, e, dataset index). Which thread decodes what never matters, so the same seed gives
/// the same batches, bit for bit, for any worker count.</para>
/// <para>Bad images: under <see cref="BadImagePolicy.SkipAndReport"/> a sample that fails to decode is left out of its batch
/// (which is then smaller) and recorded once in <see cref="BadImages"/>; later epochs skip it without decoding it again.
/// Under <see cref="BadImagePolicy.Strict"/> the epoch fails with <see cref="BadImagesException"/> at the first one; scan
/// with <see cref="DatasetScanner"/> before training to list them all, and train on its <see cref="DatasetScanResult.Valid"/>
/// subset for batches without gaps.</para>
/// <para>Tensors: <see cref="TensorScope"/> is per thread, so batch tensors are allocated outside every scope and attached
/// to the consuming thread's current scope only when handed out. The caller owns each <see cref="ImageBatch"/>.</para>
/// <para>One epoch at a time may be enumerated. Disposing the loader stops its workers; an epoch being enumerated then
/// throws <see cref="ObjectDisposedException"/>.</para>
/// </remarks>
public sealed unsafe partial class DataLoader : IDisposable
{
    private readonly BlockingCollection<SampleJob> _queue = new(new ConcurrentQueue<SampleJob>());
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lock _gate = new();
    private readonly int _sampleLength;
    private readonly DecodeMemoryGate _memoryGate;
    private readonly ImageDecodeOptions _decodeOptions;
    private Thread[]? _workers;
    private int _epochActive;
    private int _peakInFlight;
    private volatile bool _disposed;

    /// <summary>Creates a loader. Worker threads start with the first epoch.</summary>
    /// <param name="dataset">The samples.</param>
    /// <param name="transform">Turns each decoded image into [3, H, W] floats; must be thread-safe.</param>
    /// <param name="options">Batching, order, workers and bad-image policy; <see cref="DataLoaderOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option, or the transform's output size, is out of range.</exception>
    public DataLoader(IImageDataset dataset, IImageTransform transform, DataLoaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transform);
        options ??= DataLoaderOptions.Default;
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(transform.OutputHeight, 1, nameof(transform));
        ArgumentOutOfRangeException.ThrowIfLessThan(transform.OutputWidth, 1, nameof(transform));
        Dataset = dataset;
        Transform = transform;
        Options = options;
        Workers = options.Workers ?? DataLoaderOptions.DefaultWorkers;
        _sampleLength = checked(3 * transform.OutputHeight * transform.OutputWidth);
        ImageDecodeOptions decodeOptions = options.DecodeOptions ?? ImageDecodeOptions.Default;
        _memoryGate = new DecodeMemoryGate(options.MaxDecodeMemoryBytes ?? decodeOptions.MaxDecodeBytes);
        _decodeOptions = decodeOptions with { MemoryGate = _memoryGate };
        int count = dataset.Count;
        BatchesPerEpoch = options.DropLast ? count / options.BatchSize : (count + options.BatchSize - 1) / options.BatchSize;
    }

    /// <summary>The samples.</summary>
    public IImageDataset Dataset { get; }

    /// <summary>The per-sample transform.</summary>
    public IImageTransform Transform { get; }

    /// <summary>The validated options.</summary>
    public DataLoaderOptions Options { get; }

    /// <summary>Number of decoding threads.</summary>
    public int Workers { get; }

    /// <summary>Batches per epoch: ceiling(Count / BatchSize), or the floor with <see cref="DataLoaderOptions.DropLast"/>.
    /// An epoch hands out fewer when every sample of a batch was bad.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>Every sample skipped so far because it failed to decode (over all epochs, each listed once).</summary>
    public BadImageReport BadImages { get; } = new();

    /// <summary>The most batches that were in flight (being decoded or ready, not yet handed out) at once.</summary>
    internal int PeakBatchesInFlight => Volatile.Read(ref _peakInFlight);

    /// <summary>The gate that bounds the workers' decode memory together.</summary>
    internal DecodeMemoryGate MemoryGate => _memoryGate;

    /// <summary>Whether any worker thread is still running.</summary>
    internal bool WorkersAlive => _workers?.Any(t => t.IsAlive) ?? false;

    /// <summary>
    /// The order in which epoch <paramref name="epoch"/> visits the dataset: a permutation of [0, Count) drawn from
    /// (Seed, epoch) when shuffling, otherwise index order. Batch b holds positions [b * BatchSize, (b + 1) * BatchSize).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    public int[] GetEpochOrder(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        int[] order = [.. Enumerable.Range(0, Dataset.Count)];
        if (Options.Shuffle)
        {
            SeededShuffle.Shuffle(order, SeededShuffle.Create(Options.Seed, epoch));
        }

        return order;
    }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/>, decoded ahead of the caller. Enumerate it once; stopping early (break,
    /// exception) waits for the workers to leave the prefetched batches, then frees them.
    /// </summary>
    /// <param name="epoch">Zero-based epoch; selects the order and the augmentation draws.</param>
    /// <param name="cancellationToken">Checked while waiting for each batch.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The loader was disposed (also thrown during enumeration).</exception>
    /// <exception cref="InvalidOperationException">(During enumeration) another epoch of this loader is being enumerated.</exception>
    /// <exception cref="OperationCanceledException">(During enumeration) the token was cancelled.</exception>
    /// <exception cref="BadImagesException">(During enumeration) a sample failed to decode under <see cref="BadImagePolicy.Strict"/>.</exception>
    public IEnumerable<ImageBatch> GetEpoch(int epoch, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Enumerate(epoch, cancellationToken);
    }

    /// <summary>Stops the workers (after they drop what is queued) and waits for them to exit. Idempotent.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _disposing.Cancel();
        _queue.CompleteAdding();
        foreach (Thread worker in _workers ?? [])
        {
            if (worker != Thread.CurrentThread)
            {
                worker.Join();
            }
        }

        _queue.Dispose();
    }

    private IEnumerable<ImageBatch> Enumerate(int epoch, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _epochActive, 1) == 1)
        {
            throw new InvalidOperationException("Another epoch of this DataLoader is being enumerated; finish or dispose it first.");
        }

        EpochRun? run = null;
        try
        {
            StartWorkers();
            run = new EpochRun(this, epoch, cancellationToken);
            while (run.Next() is ImageBatch batch)
            {
                yield return batch;
            }
        }
        finally
        {
            run?.Abandon();
            Volatile.Write(ref _epochActive, 0);
        }
    }

    private void StartWorkers()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_workers is not null)
            {
                return;
            }

            _workers = new Thread[Workers];
            for (int i = 0; i < _workers.Length; i++)
            {
                // Dedicated threads, not pool threads: no TensorScope is ever open on them, and long decodes do not
                // starve the thread pool that Parallelism.For uses for compute.
                _workers[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"TransferKit decoder {i}" };
                _workers[i].Start();
            }
        }
    }

    /// <summary>Queues a sample; false when the loader is shutting down.</summary>
    private bool TryQueue(SampleJob job)
    {
        try
        {
            return !_disposed && _queue.TryAdd(job);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            return false; // Dispose ran between the check and the add
        }
    }

    private void RecordInFlight(int inFlight)
    {
        int peak;
        while (inFlight > (peak = Volatile.Read(ref _peakInFlight)) && Interlocked.CompareExchange(ref _peakInFlight, inFlight, peak) != peak)
        {
        }
    }

    private void WorkerLoop()
    {
        // Runs until Dispose completes the queue; jobs of abandoned epochs are only counted down, not decoded.
        foreach (SampleJob job in _queue.GetConsumingEnumerable())
        {
            PendingBatch batch = job.Batch;
            try
            {
                if (!batch.Run.IsAbandoned && batch.Error is null)
                {
                    try
                    {
                        Process(batch, job.Slot);
                    }
                    finally
                    {
                        // The decoder took its share of the gate; the image is done with once it is transformed.
                        _memoryGate.ReleaseHeld();
                    }
                }
            }
            catch (Exception ex)
            {
                batch.Fail(ex); // handed to the consumer, which rethrows it
            }
            finally
            {
                batch.CompleteOne();
            }
        }
    }

    private void Process(PendingBatch batch, int slot)
    {
        int index = batch.Indices[slot];
        if (BadImages.Contains(index))
        {
            batch.Bad[slot] = true;
            return;
        }

        DecodedImage image;
        try
        {
            image = Dataset.Decode(index, _decodeOptions);
        }
        catch (ImageDecodeException ex)
        {
            var bad = BadImage.From(index, ex);
            if (Options.BadImagePolicy == BadImagePolicy.Strict)
            {
                batch.Fail(new BadImagesException([bad]));
                return;
            }

            BadImages.Add(bad);
            batch.Bad[slot] = true;
            return;
        }

        var destination = new Span<float>(batch.Images.Data + ((long)slot * _sampleLength), _sampleLength);
        Transform.Apply(image, destination, new TransformContext(Options.Seed, batch.Run.Epoch, index));
    }

    private readonly record struct SampleJob(PendingBatch Batch, int Slot);
}

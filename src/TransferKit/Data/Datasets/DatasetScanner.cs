using System.Diagnostics;
using System.Runtime.ExceptionServices;
using TransferKit.Data.Decoding;
using TransferKit.Kernels;

namespace TransferKit.Data.Datasets;

/// <summary>
/// Checks that every sample of a dataset decodes, before training spends hours on it. Each sample is fully decoded
/// (the decoder first applies its header-level checks: file size, format signature, declared pixel count, JPEG scan
/// count; then decodes every pixel, which is the only way to catch truncation and corrupt data), in parallel. The
/// threads share one decode memory budget (<see cref="ImageDecodeOptions.MaxDecodeBytes"/>), so a scan holds no more
/// decode memory than one image may use, whatever the thread count.
/// </summary>
public static class DatasetScanner
{
    /// <summary>Decodes every sample and collects the failures.</summary>
    /// <param name="dataset">The dataset to check.</param>
    /// <param name="options">Policy, threads and decoder limits; <see cref="DatasetScanOptions.Default"/> when null.</param>
    /// <param name="progress">Receives progress about every 1% (and at the end), possibly from worker threads.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <returns>The report and the subset of samples that decoded.</returns>
    /// <exception cref="BadImagesException">Under <see cref="BadImagePolicy.Strict"/>, when any sample is bad; it lists all.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="NativeLibraryMissingException">A JPEG was met and libturbojpeg is not installed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static DatasetScanResult Scan(IImageDataset dataset, DatasetScanOptions? options = null,
        IProgress<ScanProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= DatasetScanOptions.Default;
        options.Validate();
        var clock = Stopwatch.StartNew();
        var report = new BadImageReport();
        int total = dataset.Count;
        int step = Math.Max(1, total / 100);
        int scanned = 0;
        ImageDecodeOptions decodeOptions = options.DecodeOptions ?? ImageDecodeOptions.Default;
        var gate = new DecodeMemoryGate(decodeOptions.MaxDecodeBytes);
        decodeOptions = decodeOptions with { MemoryGate = gate };
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Parallelism.DegreeOfParallelism,
            CancellationToken = cancellationToken,
        };
        try
        {
            Parallel.For(0, total, parallel, i =>
            {
                try
                {
                    _ = dataset.Decode(i, decodeOptions);
                }
                catch (ImageDecodeException ex)
                {
                    report.Add(BadImage.From(i, ex));
                }
                finally
                {
                    gate.ReleaseHeld();
                }

                int done = Interlocked.Increment(ref scanned);
                if (progress is not null && (done % step == 0 || done == total))
                {
                    progress.Report(new ScanProgress(done, total, report.Count));
                }
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            // Parallel.For wraps what a body threw; callers should see the decoder's own exception type.
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }

        if (total == 0)
        {
            progress?.Report(new ScanProgress(0, 0, 0));
        }

        if (options.Policy == BadImagePolicy.Strict && report.Count > 0)
        {
            throw new BadImagesException(report.Items, total);
        }

        return new DatasetScanResult(dataset, report, clock.Elapsed);
    }
}

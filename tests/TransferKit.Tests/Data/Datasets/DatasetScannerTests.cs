using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Data.Synthetic;

namespace TransferKit.Tests.Data.Datasets;

public sealed class DatasetScannerTests : IDisposable
{
    private readonly DatasetTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Collects reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class Recorder : IProgress<ScanProgress>
    {
        public List<ScanProgress> Reports { get; } = [];

        public void Report(ScanProgress value)
        {
            lock (Reports)
            {
                Reports.Add(value);
            }
        }
    }

    private (ImageFileDataset Dataset, IReadOnlyList<BadImageFolderEntry> Entries) BadFolderDataset()
    {
        IReadOnlyList<BadImageFolderEntry> entries = BadImageFolder.Write(_folder.PathOf("pets/Cat"));
        for (int i = 0; i < 5; i++)
        {
            _folder.WriteImage($"pets/Dog/{i}.png", i);
        }

        return (ImageFileDataset.FromClassFolders(_folder.PathOf("pets")), entries);
    }

    [Fact]
    public void SkipAndReport_ListsEveryBadFileWithItsReason_AndKeepsTheRest()
    {
        var (dataset, entries) = BadFolderDataset();
        var recorder = new Recorder();

        DatasetScanResult result = DatasetScanner.Scan(dataset, new DatasetScanOptions { MaxDegreeOfParallelism = 2 }, recorder);

        var expected = entries.Where(e => e.IsBad).Select(e => (e.Path, e.ExpectedFailure!.Value)).OrderBy(e => e.Path, StringComparer.Ordinal);
        Assert.Equal(expected, result.BadImages.Items.Select(b => (b.SourceName, b.Failure)).OrderBy(e => e.SourceName, StringComparer.Ordinal));
        Assert.All(result.BadImages.Items, b => Assert.Equal(dataset.Paths[b.Index], b.SourceName));
        Assert.Equal(dataset.Count - 7, result.Valid.Count);
        Assert.DoesNotContain(result.Valid.Indices, result.BadImages.Contains);

        ScanProgress last = recorder.Reports.MaxBy(r => r.Scanned);
        Assert.Equal(new ScanProgress(dataset.Count, dataset.Count, 7), last);
        Assert.Equal(1.0, last.Fraction);
        Assert.Contains("7 bad image(s) skipped", result.BadImages.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Strict_FailsOnceListingAllBadFiles()
    {
        var (dataset, entries) = BadFolderDataset();

        var ex = Assert.Throws<BadImagesException>(() =>
            DatasetScanner.Scan(dataset, new DatasetScanOptions { Policy = BadImagePolicy.Strict }));

        Assert.Equal(7, ex.BadImages.Count);
        Assert.StartsWith($"7 of {dataset.Count} image(s) cannot be decoded", ex.Message, StringComparison.Ordinal);
        foreach (BadImageFolderEntry bad in entries.Where(e => e.IsBad))
        {
            Assert.Contains($"{bad.Path}: {bad.ExpectedFailure}: ", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(ex.BadImages.Select(b => b.Index).Order(), ex.BadImages.Select(b => b.Index));
    }

    [Fact]
    public void FileRemovedAfterListing_IsAReadError()
    {
        string a = _folder.WriteImage("x/a.png");
        _folder.WriteImage("x/b.png");
        var dataset = ImageFileDataset.FromClassFolders(_folder.Root);
        File.Delete(a);

        var result = DatasetScanner.Scan(dataset);

        BadImage bad = Assert.Single(result.BadImages.Items);
        Assert.Equal((0, a, ImageDecodeFailure.ReadError), (bad.Index, bad.SourceName, bad.Failure));
    }

    [Fact]
    public void Cancellation_StopsTheScan()
    {
        var (dataset, _) = BadFolderDataset();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => DatasetScanner.Scan(dataset, cancellationToken: cancelled.Token));
    }

    [Fact]
    public void EmptyDataset_ReportsCompletion()
    {
        var recorder = new Recorder();

        var result = DatasetScanner.Scan(InMemoryImageDataset.FromDecoded([]), progress: recorder);

        Assert.Equal(0, result.BadImages.Count);
        Assert.Equal(new ScanProgress(0, 0, 0), Assert.Single(recorder.Reports));
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetScanner.Scan(result.Valid, new DatasetScanOptions { MaxDegreeOfParallelism = 0 }));
    }
}

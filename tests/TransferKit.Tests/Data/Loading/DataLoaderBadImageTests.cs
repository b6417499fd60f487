using TransferKit.Data.Datasets;
using TransferKit.Data.Loading;
using TransferKit.Data.Synthetic;
using TransferKit.Tests.Data.Datasets;

namespace TransferKit.Tests.Data.Loading;

public sealed class DataLoaderBadImageTests : IDisposable
{
    private readonly DatasetTestFolder _folder = new();
    private readonly IReadOnlyList<BadImageFolderEntry> _entries;
    private readonly ImageFileDataset _dataset;

    public DataLoaderBadImageTests()
    {
        _entries = BadImageFolder.Write(_folder.PathOf("Cat"));
        for (int i = 0; i < 6; i++)
        {
            _folder.WriteImage($"Dog/{i}.png", i);
        }

        _dataset = ImageFileDataset.FromClassFolders(_folder.Root);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void SkipAndReport_LeavesBadImagesOut_EveryEpoch_AndReportsEachOnce()
    {
        using var loader = new DataLoader(_dataset, new NearestResizeTransform(6, 6), new DataLoaderOptions { BatchSize = 4, Workers = 2 });
        int good = _dataset.Count - _entries.Count(e => e.IsBad);

        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = new List<int>();
            int skipped = 0;
            foreach (ImageBatch batch in loader.GetEpoch(epoch))
            {
                using (batch)
                {
                    Assert.Equal(batch.Count, batch.Images.Shape[0]);
                    seen.AddRange(batch.Indices);
                    skipped += batch.Skipped;
                }
            }

            Assert.Equal(good, seen.Count);
            Assert.InRange(skipped, 1, 7); // a batch of only bad images is not handed out, so its skips are not seen
            Assert.DoesNotContain(seen, loader.BadImages.Contains);
        }

        var expected = _entries.Where(e => e.IsBad).Select(e => (e.Path, e.ExpectedFailure!.Value)).OrderBy(p => p.Path, StringComparer.Ordinal);
        Assert.Equal(expected, loader.BadImages.Items.Select(b => (b.SourceName, b.Failure)).OrderBy(p => p.SourceName, StringComparer.Ordinal));
    }

    [Fact]
    public void SkipAndReport_BatchesWithOnlyBadImagesAreNotHandedOut()
    {
        using var loader = new DataLoader(_dataset, new NearestResizeTransform(2, 2),
            new DataLoaderOptions { BatchSize = 1, Shuffle = false, DropLast = true });

        var batches = loader.GetEpoch(0).ToList();

        Assert.Equal(_dataset.Count - 7, batches.Count);
        Assert.Equal(_dataset.Count, loader.BatchesPerEpoch);
        Assert.All(batches, b => Assert.False(loader.BadImages.Contains(b.Indices[0])));
        Assert.All(batches, b => Assert.Equal(b.Indices[0], b.BatchIndex)); // unshuffled, one per batch
        batches.ForEach(b => b.Dispose());
    }

    [Fact]
    public void Strict_FailsAtTheFirstBadImage()
    {
        using var loader = new DataLoader(_dataset, new NearestResizeTransform(2, 2),
            new DataLoaderOptions { BatchSize = 4, BadImagePolicy = BadImagePolicy.Strict });

        var ex = Assert.Throws<BadImagesException>(() =>
        {
            foreach (ImageBatch batch in loader.GetEpoch(0))
            {
                batch.Dispose();
            }
        });

        BadImage bad = Assert.Single(ex.BadImages);
        Assert.Contains(_entries, e => e.Path == bad.SourceName && e.ExpectedFailure == bad.Failure);
        Assert.Contains("DatasetScanner lists every bad image", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScannedValidSubset_GivesFullBatches()
    {
        var valid = DatasetScanner.Scan(_dataset).Valid;
        using var loader = new DataLoader(valid, new NearestResizeTransform(2, 2), new DataLoaderOptions { BatchSize = 2 });

        var batches = loader.GetEpoch(0).ToList();

        Assert.All(batches, b => Assert.Equal(2, b.Count));
        Assert.Equal(0, loader.BadImages.Count);
        batches.ForEach(b => b.Dispose());
    }
}

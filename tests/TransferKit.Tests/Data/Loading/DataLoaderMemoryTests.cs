using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Data.Loading;

namespace TransferKit.Tests.Data.Loading;

/// <summary>Issue 12.8: the workers of one loader share a decode memory budget.</summary>
public sealed class DataLoaderMemoryTests
{
    [Fact]
    public void WorkersShareTheDecodeMemoryGateAndGiveEverythingBack()
    {
        byte[][] pngs = [.. Enumerable.Range(0, 24).Select(i => PngEncoder.Encode(40 + i, 30, new byte[(40 + i) * 30 * 3]))];
        var dataset = InMemoryImageDataset.FromEncoded(pngs, [.. Enumerable.Range(0, 24).Select(i => i % 2)], ["a", "b"]);
        var transform = new NearestResizeTransform(8, 8);
        var options = new DataLoaderOptions { BatchSize = 5, Seed = 3, Workers = 4 };

        float[][] Run(DataLoader loader) => [.. loader.GetEpoch(0).Select(b =>
        {
            using (b)
            {
                return b.Images.ToArray();
            }
        })];

        using var free = new DataLoader(dataset, transform, options);
        // Each PNG's estimate (its bytes, the inflater, two rows and the RGB) is over 128 KiB, so a 200 KiB gate lets
        // one decode run at a time: the batches must not change.
        using var gated = new DataLoader(dataset, transform, options with { MaxDecodeMemoryBytes = 200 * 1024 });
        Assert.Equal(Run(free), Run(gated));
        Assert.Equal(200 * 1024, gated.MemoryGate.CapacityBytes);
        Assert.InRange(gated.MemoryGate.PeakBytes, 1, 200 * 1024);
        Assert.Equal(0, gated.MemoryGate.InUseBytes);
        Assert.Equal(ImageDecodeOptions.Default.MaxDecodeBytes, free.MemoryGate.CapacityBytes);
        Assert.Equal(0, free.MemoryGate.InUseBytes);
    }
}

using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Data.Loading;
using TransferKit.Data.Preprocessing;
using TransferKit.Tensors;

namespace TransferKit.Tests.Data.Loading;

public sealed class DataLoaderTests
{
    /// <summary>Labelled in-memory images of assorted sizes whose pixels are seeded noise; label = index % 3.</summary>
    private static InMemoryImageDataset Noise(int count, int seed = 1)
    {
        var random = new Random(seed);
        var images = new DecodedImage[count];
        for (int i = 0; i < count; i++)
        {
            int w = 4 + random.Next(6), h = 4 + random.Next(6);
            var pixels = new byte[w * h * 3];
            random.NextBytes(pixels);
            images[i] = new DecodedImage(w, h, pixels);
        }

        return InMemoryImageDataset.FromDecoded(images, [.. Enumerable.Range(0, count).Select(i => i % 3)], ["a", "b", "c"]);
    }

    /// <summary>Runs one epoch and returns every batch's (indices, labels, pixels), disposing the tensors.</summary>
    private static List<(int[] Indices, int[] Labels, float[] Pixels)> Collect(DataLoader loader, int epoch)
    {
        var batches = new List<(int[], int[], float[])>();
        foreach (ImageBatch batch in loader.GetEpoch(epoch))
        {
            using (batch)
            {
                Assert.Equal(new Shape(batch.Count, 3, loader.Transform.OutputHeight, loader.Transform.OutputWidth), batch.Images.Shape);
                batches.Add((batch.Indices, batch.Labels, batch.Images.ToArray()));
            }
        }

        return batches;
    }

    [Fact]
    public void SameSeed_GivesTheSameBatches_ForAnyWorkerAndPrefetchCount()
    {
        var dataset = Noise(37);
        var options = new DataLoaderOptions { BatchSize = 5, Seed = 42 };
        var reference = new List<(int[], int[], float[])>();
        foreach ((int workers, int prefetch) in new[] { (1, 1), (3, 2), (2, 4) })
        {
            using var loader = new DataLoader(dataset, new NearestResizeTransform(4, 6, randomFlip: true),
                options with { Workers = workers, PrefetchBatches = prefetch });
            var run = Collect(loader, epoch: 2);
            Assert.Equal(8, run.Count);
            if (reference.Count == 0)
            {
                reference = run;
                continue;
            }

            for (int b = 0; b < run.Count; b++)
            {
                Assert.Equal(reference[b].Item1, run[b].Indices);
                Assert.Equal(reference[b].Item2, run[b].Labels);
                Assert.Equal(reference[b].Item3, run[b].Pixels); // bit-identical, flips included
            }
        }

        int[] order = [.. reference.SelectMany(b => b.Item1)];
        Assert.Equal(Enumerable.Range(0, 37), order.Order());
        Assert.NotEqual(Enumerable.Range(0, 37), order);
        Assert.Equal([.. order.Select(i => i % 3)], reference.SelectMany(b => b.Item2));
    }

    [Fact]
    public void Order_DependsOnSeedAndEpoch_AndShuffleOffKeepsIndexOrder()
    {
        var dataset = Noise(20);
        using var a = new DataLoader(dataset, new NearestResizeTransform(2, 2), new DataLoaderOptions { Seed = 1 });
        using var b = new DataLoader(dataset, new NearestResizeTransform(2, 2), new DataLoaderOptions { Seed = 2 });
        using var plain = new DataLoader(dataset, new NearestResizeTransform(2, 2), new DataLoaderOptions { Shuffle = false });

        Assert.Equal(a.GetEpochOrder(3), a.GetEpochOrder(3));
        Assert.NotEqual(a.GetEpochOrder(0), a.GetEpochOrder(1));
        Assert.NotEqual(a.GetEpochOrder(0), b.GetEpochOrder(0));
        Assert.Equal(Enumerable.Range(0, 20), plain.GetEpochOrder(5));
    }

    [Fact]
    public void Augmentation_DependsOnEpoch_NotOnThreads()
    {
        var dataset = Noise(6);
        var options = new DataLoaderOptions { BatchSize = 6, Shuffle = false, Seed = 9 };
        using var loader = new DataLoader(dataset, new NearestResizeTransform(5, 5, randomFlip: true), options);

        float[] epoch0 = Collect(loader, 0)[0].Pixels, epoch1 = Collect(loader, 1)[0].Pixels, again0 = Collect(loader, 0)[0].Pixels;

        Assert.Equal(epoch0, again0);
        Assert.NotEqual(epoch0, epoch1); // six coin flips per epoch: some differ
    }

    [Theory]
    [InlineData(false, new[] { 4, 4, 2 })]
    [InlineData(true, new[] { 4, 4 })]
    public void DropLast_LeavesOutTheShortBatch(bool dropLast, int[] sizes)
    {
        using var loader = new DataLoader(Noise(10), new NearestResizeTransform(2, 2),
            new DataLoaderOptions { BatchSize = 4, DropLast = dropLast, Workers = 2 });

        Assert.Equal(sizes.Length, loader.BatchesPerEpoch);
        Assert.Equal(sizes, Collect(loader, 0).Select(b => b.Indices.Length));
    }

    [Fact]
    public void Prefetch_KeepsAtMostKBatchesInFlight()
    {
        const int BatchSize = 4, Prefetch = 2;
        var transform = new NearestResizeTransform(3, 3);
        using var loader = new DataLoader(Noise(40), transform,
            new DataLoaderOptions { BatchSize = BatchSize, PrefetchBatches = Prefetch, Workers = 3 });

        using (IEnumerator<ImageBatch> epoch = loader.GetEpoch(0).GetEnumerator())
        {
            Assert.True(epoch.MoveNext());
            using ImageBatch first = epoch.Current;

            // While the caller "trains" on batch 0, the workers fill batches 1 and 2 and then must stop.
            int bound = (1 + Prefetch) * BatchSize;
            Assert.True(SpinWait.SpinUntil(() => transform.Applied == bound, TimeSpan.FromSeconds(10)), $"applied {transform.Applied}");
            Thread.Sleep(50);
            Assert.Equal(bound, transform.Applied);
        }

        Collect(loader, 1);
        Assert.Equal(Prefetch, loader.PeakBatchesInFlight);
    }

    [Fact]
    public void Cancellation_StopsTheEpoch_AndFreesPrefetchedBatches()
    {
        long before = NativeMemoryPool.Shared.BytesInUse;
        using var gate = new ManualResetEventSlim(false);
        using var loader = new DataLoader(Noise(30), new SlowTransform(8, 8, gate: gate),
            new DataLoaderOptions { BatchSize = 3, Workers = 2, PrefetchBatches = 3 });
        using var cancel = new CancellationTokenSource();

        // The workers are blocked, so the wait for batch 0 can only end through the token. They are released only after
        // the token has fired (not on a second timer, which a busy thread pool could run first).
        using var release = cancel.Token.Register(() => ThreadPool.QueueUserWorkItem(_ =>
        {
            Thread.Sleep(100);
            gate.Set();
        }));
        cancel.CancelAfter(50);
        Assert.ThrowsAny<OperationCanceledException>(() => loader.GetEpoch(0, cancel.Token).First());
        Assert.True(gate.IsSet); // leaving the epoch waited for the blocked workers before freeing their batches

        Assert.Equal(before, NativeMemoryPool.Shared.BytesInUse);
        Assert.Equal(10, Collect(loader, 1).Count); // the loader still works
        Assert.Equal(before, NativeMemoryPool.Shared.BytesInUse);
    }

    [Fact]
    public void BreakingOut_FreesPrefetchedBatches()
    {
        long before = NativeMemoryPool.Shared.BytesInUse;
        using var loader = new DataLoader(Noise(30), new NearestResizeTransform(8, 8), new DataLoaderOptions { BatchSize = 3, PrefetchBatches = 3 });

        foreach (ImageBatch batch in loader.GetEpoch(0))
        {
            batch.Dispose();
            break;
        }

        Assert.Equal(before, NativeMemoryPool.Shared.BytesInUse);
    }

    [Fact]
    public void Dispose_StopsTheWorkers_AndFailsTheEpochInProgress()
    {
        var loader = new DataLoader(Noise(30), new SlowTransform(2, 2, delayMilliseconds: 1),
            new DataLoaderOptions { BatchSize = 2, Workers = 2 });
        using (IEnumerator<ImageBatch> epoch = loader.GetEpoch(0).GetEnumerator())
        {
            Assert.True(epoch.MoveNext());
            epoch.Current.Dispose();
            Assert.True(loader.WorkersAlive);

            loader.Dispose();

            Assert.False(loader.WorkersAlive);
            Assert.Throws<ObjectDisposedException>(() => epoch.MoveNext());
        }

        Assert.Throws<ObjectDisposedException>(() => loader.GetEpoch(1));
        loader.Dispose(); // idempotent
    }

    [Fact]
    public void OneEpochAtATime()
    {
        using var loader = new DataLoader(Noise(10), new NearestResizeTransform(2, 2), new DataLoaderOptions { BatchSize = 2 });
        using IEnumerator<ImageBatch> first = loader.GetEpoch(0).GetEnumerator();
        Assert.True(first.MoveNext());
        first.Current.Dispose();

        Assert.Throws<InvalidOperationException>(() => loader.GetEpoch(1).First());
    }

    [Fact]
    public void Batches_JoinTheConsumersScope_AndSurviveScopesOpenWhilePrefetching()
    {
        var dataset = Noise(12);
        var options = new DataLoaderOptions { BatchSize = 3, Seed = 4, PrefetchBatches = 3 };
        using var reference = new DataLoader(dataset, new NearestResizeTransform(4, 4), options);
        var expected = Collect(reference, 0);

        using var loader = new DataLoader(dataset, new NearestResizeTransform(4, 4), options);
        int b = 0;
        using IEnumerator<ImageBatch> epoch = loader.GetEpoch(0).GetEnumerator();
        while (true)
        {
            ImageBatch batch;
            using (TensorScope.Begin())
            {
                // The batches issued during this MoveNext must not belong to this short-lived scope.
                if (!epoch.MoveNext())
                {
                    break;
                }

                batch = epoch.Current;
                Assert.Equal(expected[b++].Pixels, batch.Images.ToArray());
            }

            Assert.True(batch.Images.IsDisposed); // handed out inside the scope, so freed with it
        }

        Assert.Equal(expected.Count, b);
    }

    [Fact]
    public void Unlabelled_BatchesCarryNoLabel()
    {
        var images = Enumerable.Range(0, 5).Select(i => new DecodedImage(2, 2, new byte[12])).ToArray();
        using var loader = new DataLoader(InMemoryImageDataset.FromDecoded(images), new NearestResizeTransform(2, 2),
            new DataLoaderOptions { BatchSize = 5, Shuffle = false });

        var batch = Assert.Single(Collect(loader, 0));

        Assert.All(batch.Labels, l => Assert.Equal(IImageDataset.NoLabel, l));
        Assert.Equal([0, 1, 2, 3, 4], batch.Indices);
    }

    private sealed class FailingTransform(int failAt) : NearestResizeTransform(2, 2)
    {
        public override void Apply(DecodedImage image, Span<float> destination, TransformContext context)
        {
            if (context.SampleIndex == failAt)
            {
                throw new InvalidOperationException($"transform failed on {failAt}");
            }

            base.Apply(image, destination, context);
        }
    }

    [Fact]
    public void TransformErrors_ReachTheCaller_AndFreeTheBatches()
    {
        long before = NativeMemoryPool.Shared.BytesInUse;
        using var loader = new DataLoader(Noise(20), new FailingTransform(failAt: 9),
            new DataLoaderOptions { BatchSize = 4, Shuffle = false, Workers = 2 });
        int handedOut = 0;

        var ex = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (ImageBatch batch in loader.GetEpoch(0))
            {
                batch.Dispose();
                handedOut++;
            }
        });

        Assert.Equal("transform failed on 9", ex.Message);
        Assert.Equal(2, handedOut); // samples 0-7; sample 9 is in the third batch
        Assert.Equal(before, NativeMemoryPool.Shared.BytesInUse);
    }

    [Fact]
    public void EmptyDataset_HasNoBatches()
    {
        using var loader = new DataLoader(InMemoryImageDataset.FromDecoded([]), new NearestResizeTransform(2, 2));

        Assert.Equal(0, loader.BatchesPerEpoch);
        Assert.Empty(loader.GetEpoch(0));
    }

    [Fact]
    public void Options_AreValidated()
    {
        var dataset = Noise(3);
        var transform = new NearestResizeTransform(2, 2);
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(dataset, transform, new DataLoaderOptions { BatchSize = 0 })).ParamName);
        Assert.Equal("Workers", Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(dataset, transform, new DataLoaderOptions { Workers = 0 })).ParamName);
        Assert.Equal("PrefetchBatches", Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(dataset, transform, new DataLoaderOptions { PrefetchBatches = 0 })).ParamName);
        Assert.Equal("MaxDecodeMemoryBytes", Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(dataset, transform, new DataLoaderOptions { MaxDecodeMemoryBytes = 0 })).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(dataset, transform).GetEpoch(-1));
        Assert.True(DataLoaderOptions.DefaultWorkers >= 1);
    }
}

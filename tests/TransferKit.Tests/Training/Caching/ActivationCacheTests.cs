using TransferKit.Tensors;
using TransferKit.Training.Caching;

namespace TransferKit.Tests.Training.Caching;

public sealed class ActivationCacheTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tk-cache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static string Fingerprint(string seed) => new CacheFingerprint().Add("test", seed).ToHex();

    private static float[] Sample(int index, int n) => Enumerable.Range(0, n).Select(i => MathF.Sin(index * 31 + i) * (1 + index)).ToArray();

    private static void Fill(ActivationCache cache)
    {
        for (int i = 0; i < cache.Count; i++) cache.Write(i, Sample(i, cache.SampleShape.ElementCount));
    }

    [Theory]
    [InlineData(CacheStorage.Memory, CachePrecision.Float32)]
    [InlineData(CacheStorage.Memory, CachePrecision.Float16)]
    [InlineData(CacheStorage.MappedFile, CachePrecision.Float32)]
    [InlineData(CacheStorage.MappedFile, CachePrecision.Float16)]
    [InlineData(CacheStorage.Memory, CachePrecision.BFloat16)]
    [InlineData(CacheStorage.MappedFile, CachePrecision.BFloat16)]
    public void RoundTripsAndGathersInTheRequestedOrder(CacheStorage storage, CachePrecision precision)
    {
        var options = new ActivationCacheOptions { Storage = storage, Precision = precision, Directory = _dir };
        using var cache = ActivationCache.TryCreate(10, new Shape(3, 2, 2), Fingerprint("a"), options, out _)!;
        Assert.False(cache.IsComplete);
        Fill(cache);
        Assert.True(cache.IsComplete);
        using var batch = cache.Gather([7, 2, 7]);
        Assert.Equal(new Shape(3, 3, 2, 2), batch.Shape);
        float rel = precision switch
        {
            CachePrecision.Float16 => Tolerances.Float16CacheRelative,
            CachePrecision.BFloat16 => Tolerances.BFloat16CacheRelative,
            _ => 0f,
        };
        NumericAssert.Close(Sample(7, 12), batch.ReadOnlySpan[..12], rel, 0f, "sample 7");
        NumericAssert.Close(Sample(2, 12), batch.ReadOnlySpan.Slice(12, 12), rel, 0f, "sample 2");
        NumericAssert.Close(Sample(7, 12), batch.ReadOnlySpan.Slice(24, 12), rel, 0f, "sample 7 again");
    }

    [Fact]
    public void ReadingAnUncomputedSampleFails()
    {
        using var cache = ActivationCache.TryCreate(3, new Shape(4), Fingerprint("b"), new ActivationCacheOptions { Storage = CacheStorage.Memory }, out _)!;
        cache.Write(0, new float[4]);
        Assert.Throws<InvalidOperationException>(() => cache.Read(1, new float[4]));
        Assert.Throws<ArgumentException>(() => cache.Write(1, new float[5]));
        Assert.Equal([1, 2], cache.Unfilled());
    }

    [Fact]
    public void Float16RefusesMagnitudesBeyondItsRange_BFloat16KeepsThem()
    {
        var options = new ActivationCacheOptions { Storage = CacheStorage.Memory, Precision = CachePrecision.Float16 };
        using var half = ActivationCache.TryCreate(2, new Shape(3), Fingerprint("range"), options, out _)!;
        using var brain = ActivationCache.TryCreate(2, new Shape(3), Fingerprint("range"), options with { Precision = CachePrecision.BFloat16 }, out _)!;
        half.Write(0, [65504f, -1f, 0f]);

        var error = Assert.Throws<CachePrecisionException>(() => half.Write(1, [1f, -70000f, 2f]));
        brain.Write(1, [1f, -70000f, 2f]);

        Assert.Equal((1, 70000f), (error.SampleIndex, error.Magnitude));
        Assert.Contains("beyond float16's largest value 65504", error.Message);
        Assert.False(half.IsFilled(1));
        var values = new float[3];
        brain.Read(1, values);
        Assert.Equal([1f, -70144f, 2f], values); // -70000 rounded to bfloat16's 8 significant bits
    }

    [Fact]
    public void ACommittedFileKeepsItsHoles_AndIsReusedWithThem()
    {
        var options = new ActivationCacheOptions { Storage = CacheStorage.MappedFile, Directory = _dir };
        string fp = Fingerprint("holes");
        int[] written = [0, 2, 4, 5, 6, 7, 8, 10];
        using (var first = ActivationCache.TryCreate(11, new Shape(3), fp, options, out _)!)
        {
            foreach (int i in written) first.Write(i, Sample(i, 3));
            Assert.False(first.IsComplete);
            first.Commit();
        }

        using var again = ActivationCache.TryCreate(11, new Shape(3), fp, options, out string decision)!;
        Assert.StartsWith("reused", decision);
        Assert.True(again.WasReused);
        Assert.False(again.IsComplete);
        Assert.Equal([1, 3, 9], again.Unfilled());
        Assert.Throws<InvalidOperationException>(() => again.Read(9, new float[3]));
        var values = new float[3];
        again.Read(10, values);
        Assert.Equal(Sample(10, 3), values);
    }

    [Fact]
    public void ACommittedFileIsReusedOnlyWithTheSameFingerprint()
    {
        var options = new ActivationCacheOptions { Storage = CacheStorage.MappedFile, Directory = _dir };
        string fp = Fingerprint("c");
        using (var first = ActivationCache.TryCreate(5, new Shape(6), fp, options, out string created)!)
        {
            Assert.StartsWith("cache file", created);
            Fill(first);
            first.Commit();
        }
        Assert.True(File.Exists(Path.Combine(_dir, fp + ".tkcache")));
        using (var again = ActivationCache.TryCreate(5, new Shape(6), fp, options, out string reused)!)
        {
            Assert.True(again.WasReused);
            Assert.StartsWith("reused", reused);
            var values = new float[6];
            again.Read(4, values);
            Assert.Equal(Sample(4, 6), values);
        }
        using var other = ActivationCache.TryCreate(5, new Shape(6), Fingerprint("d"), options, out _)!;
        Assert.False(other.WasReused);
        using var noReuse = ActivationCache.TryCreate(5, new Shape(6), fp, options with { Reuse = false }, out _)!;
        Assert.False(noReuse.WasReused);
    }

    [Fact]
    public void AnInterruptedRunLeavesNoFileBehind()
    {
        var options = new ActivationCacheOptions { Storage = CacheStorage.MappedFile, Directory = _dir };
        string fp = Fingerprint("e");
        using (var cache = ActivationCache.TryCreate(4, new Shape(2), fp, options, out _)!)
        {
            cache.Write(0, [1, 2]);
            Assert.True(File.Exists(Path.Combine(_dir, fp + ".tkcache.partial")));
        }
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void TooLargeACacheIsDeclinedWithTheReason()
    {
        var options = new ActivationCacheOptions { Storage = CacheStorage.Auto, MaxMemoryBytes = 100, MaxFileBytes = 200, Directory = _dir };
        Assert.Null(ActivationCache.TryCreate(100, new Shape(10), Fingerprint("f"), options, out string reason));
        Assert.Contains("MaxFileBytes", reason);
        Assert.Null(ActivationCache.TryCreate(100, new Shape(10), Fingerprint("f"), options with { Storage = CacheStorage.Memory }, out reason));
        Assert.Contains("MaxMemoryBytes", reason);
        Assert.Equal(2000, ActivationCache.EstimateBytes(100, 10, CachePrecision.Float16));
    }

    [Fact]
    public void FingerprintsSeparateTheirEntries()
    {
        Assert.NotEqual(new CacheFingerprint().Add("k", "ab").Add("k", "c").ToHex(), new CacheFingerprint().Add("k", "a").Add("k", "bc").ToHex());
        Assert.Equal(new CacheFingerprint().Add("w", [1f, 2f]).ToHex(), new CacheFingerprint().Add("w", [1f, 2f]).ToHex());
        Assert.NotEqual(new CacheFingerprint().Add("w", [1f, 2f]).ToHex(), new CacheFingerprint().Add("w", [1f, 2.0001f]).ToHex());
        Assert.Throws<ArgumentException>(() => ActivationCache.TryCreate(1, new Shape(1), "not-hex", new ActivationCacheOptions(), out _));
    }
}

using System.Security.Cryptography;
using TransferKit.Models;
using TransferKit.Weights;
using Reply = TransferKit.Tests.Weights.LoopbackHttpServer.Reply;

namespace TransferKit.Tests.Weights;

/// <summary>Downloads against a loopback server inside the test; nothing here reaches the internet.</summary>
public class WeightsCacheTests
{
    /// <summary>Reports synchronously on the downloading thread (unlike <see cref="Progress{T}"/>), so tests can act on a report at once.</summary>
    private sealed class Recorder(Action<DownloadProgress>? onReport = null) : IProgress<DownloadProgress>
    {
        public List<DownloadProgress> Reports { get; } = [];

        public void Report(DownloadProgress value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }

    private static byte[] WeightsBytes(TempFolder folder, int seed)
    {
        using var model = WeightsLoaderTests.Model(seed);
        string path = folder.File($"served_{seed}.safetensors");
        SafetensorsWriter.Write(path, model.StateDict());
        byte[] bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static WeightsCache Cache(TempFolder folder, bool offline = false, double readTimeoutSeconds = 10) =>
        new(new WeightsCacheOptions { Directory = Path.Combine(folder.Path, "cache"), Offline = offline, ReadTimeout = TimeSpan.FromSeconds(readTimeoutSeconds) });

    private static string[] CacheFiles(TempFolder folder)
    {
        string dir = Path.Combine(folder.Path, "cache");
        return Directory.Exists(dir) ? Directory.GetFiles(dir) : [];
    }

    [Fact]
    public async Task DownloadsVerifiesAndThenReusesTheFileWithoutNetwork()
    {
        using var folder = new TempFolder();
        byte[] body = WeightsBytes(folder, seed: 1);
        await using var server = new LoopbackHttpServer(_ => new Reply(Body: body));
        var url = server.Url("timm/baseline/resolve/main/model.safetensors");
        var progress = new Recorder();
        using var cache = Cache(folder);

        string path = await cache.GetFileAsync(url, Sha(body).ToUpperInvariant(), progress);

        Assert.Equal(body, File.ReadAllBytes(path));
        Assert.Equal(1, server.Hits);
        Assert.Equal([path], CacheFiles(folder));
        Assert.Equal(cache.PathFor(url, Sha(body)), path);
        Assert.Equal(new DownloadProgress(body.Length, body.Length), progress.Reports[^1]);
        Assert.Equal(1.0, progress.Reports[^1].Fraction);

        Assert.Equal(path, await cache.GetFileAsync(url, Sha(body)));
        using (var offline = Cache(folder, offline: true))
            Assert.Equal(path, await offline.GetFileAsync(url, Sha(body)));
        Assert.Equal(1, server.Hits);

        // The whole path: descriptor -> cache -> loader.
        var descriptor = new WeightsDescriptor
        {
            Name = "baseline", Architecture = "baseline_cnn", Source = WeightsSource.FromUrl(url.ToString()),
            Sha256 = Sha(body), Preprocessing = PreprocessingSpec.ImageNet224,
        };
        using var source = WeightsLoaderTests.Model(seed: 1);
        using var target = WeightsLoaderTests.Model(seed: 2);
        var report = await WeightsLoader.LoadAsync(target, descriptor, cache);
        Assert.Equal(path, report.FilePath);
        Assert.Equal(WeightsLoaderTests.Snapshot(source), WeightsLoaderTests.Snapshot(target));
        Assert.Equal(1, server.Hits);
    }

    [Fact]
    public async Task ADamagedCachedCopyIsFetchedAgain()
    {
        using var folder = new TempFolder();
        byte[] body = WeightsBytes(folder, seed: 2);
        await using var server = new LoopbackHttpServer(_ => new Reply(Body: body));
        var url = server.Url("model.safetensors");
        using var cache = Cache(folder);
        string path = await cache.GetFileAsync(url, Sha(body));
        File.WriteAllBytes(path, body[..^1]);

        Assert.Equal(path, await cache.GetFileAsync(url, Sha(body)));

        Assert.Equal(body, File.ReadAllBytes(path));
        Assert.Equal(2, server.Hits);
    }

    [Fact]
    public async Task ChecksumMismatchDeletesTheDownloadAndNamesBothHashes()
    {
        using var folder = new TempFolder();
        byte[] body = WeightsBytes(folder, seed: 3);
        string wrong = Sha([1, 2, 3]);
        await using var server = new LoopbackHttpServer(_ => new Reply(Body: body));
        var url = server.Url("model.safetensors");
        using var cache = Cache(folder);

        var error = await Assert.ThrowsAsync<WeightsChecksumException>(() => cache.GetFileAsync(url, wrong));

        Assert.Equal(url.ToString(), error.Location);
        Assert.Equal(wrong, error.ExpectedSha256);
        Assert.Equal(Sha(body), error.ActualSha256);
        Assert.Contains(url.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(wrong, error.Message, StringComparison.Ordinal);
        Assert.Contains(Sha(body), error.Message, StringComparison.Ordinal);
        Assert.Empty(CacheFiles(folder));
    }

    [Fact]
    public async Task TruncatedTransferLeavesNoFile()
    {
        using var folder = new TempFolder();
        byte[] body = WeightsBytes(folder, seed: 4);
        await using var server = new LoopbackHttpServer(_ => new Reply(Body: body, SendBytes: body.Length / 2));
        var url = server.Url("model.safetensors");
        using var cache = Cache(folder);

        var error = await Assert.ThrowsAsync<WeightsDownloadException>(() => cache.GetFileAsync(url, Sha(body)));

        Assert.Equal(WeightsDownloadFailure.Truncated, error.Failure);
        Assert.Equal(url, error.Url);
        Assert.Equal(body.Length, error.ExpectedBytes);
        Assert.True(error.ReceivedBytes < body.Length);
        Assert.Contains($"of {body.Length}", error.Message, StringComparison.Ordinal);
        Assert.Empty(CacheFiles(folder));
    }

    [Fact]
    public async Task OfflineModeNeverTouchesTheNetwork()
    {
        using var folder = new TempFolder();
        byte[] body = WeightsBytes(folder, seed: 5);
        await using var server = new LoopbackHttpServer(_ => new Reply(Body: body));
        var url = server.Url("model.safetensors");
        using var cache = Cache(folder, offline: true);

        var error = await Assert.ThrowsAsync<WeightsDownloadException>(() => cache.GetFileAsync(url, Sha(body)));

        Assert.Equal(WeightsDownloadFailure.NotCachedOffline, error.Failure);
        Assert.Contains(WeightsCache.OfflineVariable, error.Message, StringComparison.Ordinal);
        Assert.Contains(cache.PathFor(url, Sha(body)), error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Hits);
        Assert.False(Directory.Exists(cache.Directory));
    }

    [Fact]
    public async Task CancellationStopsTheTransferAndLeavesNoFile()
    {
        using var folder = new TempFolder();
        byte[] body = new byte[1 << 20];
        new Random(6).NextBytes(body);
        await using var server = new LoopbackHttpServer(_ => new Reply(Body: body, SendBytes: 1 << 16, HoldOpen: true));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var progress = new Recorder(_ => cancel.Cancel());
        using var cache = Cache(folder);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.GetFileAsync(server.Url("big.safetensors"), Sha(body), progress, cancel.Token));

        Assert.NotEmpty(progress.Reports);
        Assert.All(progress.Reports, r => Assert.Equal(body.Length, r.TotalBytes));
        Assert.Empty(CacheFiles(folder));
    }

    [Fact]
    public async Task AStalledServerTimesOut()
    {
        using var folder = new TempFolder();
        byte[] body = WeightsBytes(folder, seed: 7);
        await using var server = new LoopbackHttpServer(_ => new Reply(Body: body, SendBytes: body.Length / 2, HoldOpen: true));
        using var cache = Cache(folder, readTimeoutSeconds: 0.3);

        var error = await Assert.ThrowsAsync<WeightsDownloadException>(() => cache.GetFileAsync(server.Url("model.safetensors"), Sha(body)));

        Assert.Equal(WeightsDownloadFailure.Stalled, error.Failure);
        Assert.Empty(CacheFiles(folder));
    }

    [Fact]
    public async Task HttpErrorsAndRefusedConnectionsAreTyped()
    {
        using var folder = new TempFolder();
        string sha = Sha([0]);
        await using (var server = new LoopbackHttpServer(_ => new Reply(Status: 404)))
        {
            using var cache = Cache(folder);
            var error = await Assert.ThrowsAsync<WeightsDownloadException>(() => cache.GetFileAsync(server.Url("missing.safetensors"), sha));
            Assert.Equal(WeightsDownloadFailure.HttpStatus, error.Failure);
            Assert.Equal(404, error.StatusCode);
        }

        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using (var cache = Cache(folder))
        {
            var refused = await Assert.ThrowsAsync<WeightsDownloadException>(() => cache.GetFileAsync(new Uri($"http://127.0.0.1:{port}/x.safetensors"), sha));
            Assert.Equal(WeightsDownloadFailure.Network, refused.Failure);
        }
        Assert.Empty(CacheFiles(folder));
    }

    [Fact]
    public void CacheFileNamesComeFromUrlAndHash()
    {
        using var folder = new TempFolder();
        using var cache = Cache(folder, offline: true);
        string a = new('a', 64), b = new('b', 64);
        var url = new Uri("https://huggingface.co/timm/resnet50.a1_in1k/resolve/main/model.safetensors");

        string path = cache.PathFor(url, a);

        Assert.Equal(Path.Combine(folder.Path, "cache"), Path.GetDirectoryName(path));
        Assert.StartsWith("model-", Path.GetFileName(path), StringComparison.Ordinal);
        Assert.EndsWith($"-{a[..16]}.safetensors", path, StringComparison.Ordinal);
        Assert.Equal(path, cache.PathFor(url, a.ToUpperInvariant()));
        Assert.NotEqual(path, cache.PathFor(url, b));
        Assert.NotEqual(path, cache.PathFor(new Uri("https://huggingface.co/timm/resnet18.a1_in1k/resolve/main/model.safetensors"), a));
        Assert.EndsWith(".safetensors", cache.PathFor(new Uri("https://example.com/"), a), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => cache.PathFor(url, "abc"));
    }

    [Fact]
    public void DefaultFolderAndOfflineFollowTheEnvironment()
    {
        var env = new Dictionary<string, string?> { ["TRANSFERKIT_CACHE"] = "/data/tk", ["XDG_CACHE_HOME"] = "/xdg" };
        Assert.Equal("/data/tk", WeightsCache.DefaultDirectory(k => env.GetValueOrDefault(k)));
        env["TRANSFERKIT_CACHE"] = "";
        Assert.Equal(Path.Combine("/xdg", "transferkit"), WeightsCache.DefaultDirectory(k => env.GetValueOrDefault(k)));
        env["XDG_CACHE_HOME"] = null;
        string fallback = WeightsCache.DefaultDirectory(k => env.GetValueOrDefault(k));
        if (OperatingSystem.IsLinux()) Assert.EndsWith(Path.Combine(".cache", "transferkit"), fallback, StringComparison.Ordinal);

        foreach (string on in new[] { "1", "true", "TRUE", "yes", " on " }) Assert.True(WeightsCache.IsOn(on), on);
        foreach (string? off in new[] { null, "", "0", "false", "no" }) Assert.False(WeightsCache.IsOn(off), off);
        Assert.Throws<ArgumentException>(() => new WeightsCacheOptions { ReadTimeout = TimeSpan.Zero }.Validate());
        Assert.Throws<ArgumentException>(() => new WeightsCacheOptions { Directory = " " }.Validate());
    }
}

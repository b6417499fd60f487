using System.Security.Cryptography;
using TransferKit.Weights;

namespace TransferKit.Cli.Tests;

/// <summary>
/// Points the CLI's weights cache at <paramref name="directory"/> in offline mode until disposed, so that a
/// <c>--weights</c> URL resolves without a network once <see cref="Serve"/> has put the file where the cache keeps it.
/// </summary>
internal sealed class OfflineWeightsCache : IDisposable
{
    private readonly string _directory;
    private readonly (string? Directory, string? Offline) _saved =
        (Environment.GetEnvironmentVariable(WeightsCache.DirectoryVariable), Environment.GetEnvironmentVariable(WeightsCache.OfflineVariable));

    public OfflineWeightsCache(string directory)
    {
        _directory = directory;
        Environment.SetEnvironmentVariable(WeightsCache.DirectoryVariable, directory);
        Environment.SetEnvironmentVariable(WeightsCache.OfflineVariable, "1");
    }

    /// <summary>Caches <paramref name="file"/> as the download of an unreachable URL ending in <paramref name="name"/>; returns the URL and the file's SHA-256.</summary>
    public (Uri Url, string Sha256) Serve(string file, string name)
    {
        string sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
        var url = new Uri($"https://weights.example.invalid/{name}");
        using var cache = new WeightsCache(new WeightsCacheOptions { Directory = _directory, Offline = true });
        Directory.CreateDirectory(cache.Directory);
        File.Copy(file, cache.PathFor(url, sha));
        return (url, sha);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(WeightsCache.DirectoryVariable, _saved.Directory);
        Environment.SetEnvironmentVariable(WeightsCache.OfflineVariable, _saved.Offline);
    }
}

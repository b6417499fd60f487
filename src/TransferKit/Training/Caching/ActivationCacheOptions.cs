namespace TransferKit.Training.Caching;

/// <summary>
/// Settings of the activation cache (ML.NET's bottleneck cache generalised to any freeze depth). Defaults: automatic storage,
/// float32, 4 GiB of memory at most, 64 GiB of file at most, files under <c>TRANSFERKIT_CACHE</c>/activations, reuse on.
/// </summary>
public sealed record ActivationCacheOptions
{
    /// <summary>Memory, file, or automatic (memory if it fits). Default <see cref="CacheStorage.Auto"/>.</summary>
    public CacheStorage Storage { get; init; } = CacheStorage.Auto;

    /// <summary>Element type. Default <see cref="CachePrecision.Float32"/>.</summary>
    public CachePrecision Precision { get; init; } = CachePrecision.Float32;

    /// <summary>Largest in-memory cache in bytes. Default 4 GiB.</summary>
    public long MaxMemoryBytes { get; init; } = 4L << 30;

    /// <summary>Largest cache file in bytes; a larger cache is not created and the trainer recomputes instead. Default 64 GiB.</summary>
    public long MaxFileBytes { get; init; } = 64L << 30;

    /// <summary>Folder of cache files. Default: <c>$TRANSFERKIT_CACHE/activations</c>, else the user's cache folder.</summary>
    public string? Directory { get; init; }

    /// <summary>Whether a complete file with the same fingerprint is reused (ML.NET's ReuseTrainSetBottleneckCachedValues, made safe). Default true.</summary>
    public bool Reuse { get; init; } = true;

    /// <summary>Whether a cache of <paramref name="bytes"/> goes to a file (a memory cache otherwise, or none when it exceeds its limit).</summary>
    internal bool StoresInFile(long bytes) => Storage == CacheStorage.MappedFile || (Storage == CacheStorage.Auto && bytes > MaxMemoryBytes);

    /// <summary>The folder cache files go to.</summary>
    public string ResolveDirectory() => Directory ?? Path.Combine(CacheFolders.Root, "activations");

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size limit is negative; the message names it.</exception>
    public void Validate()
    {
        if (MaxMemoryBytes < 0) throw new ArgumentOutOfRangeException(nameof(MaxMemoryBytes), MaxMemoryBytes, "ActivationCacheOptions.MaxMemoryBytes must be non-negative.");
        if (MaxFileBytes < 0) throw new ArgumentOutOfRangeException(nameof(MaxFileBytes), MaxFileBytes, "ActivationCacheOptions.MaxFileBytes must be non-negative.");
    }
}

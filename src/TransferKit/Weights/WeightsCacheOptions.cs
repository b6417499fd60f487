namespace TransferKit.Weights;

/// <summary>Settings of a <see cref="WeightsCache"/>, each with a documented default.</summary>
public sealed class WeightsCacheOptions
{
    /// <summary>
    /// The cache folder. Default null: <see cref="WeightsCache.DefaultDirectory()"/> (<c>TRANSFERKIT_CACHE</c>, else
    /// <c>$XDG_CACHE_HOME/transferkit</c>, else the user's cache folder).
    /// </summary>
    public string? Directory { get; init; }

    /// <summary>
    /// When true the cache never touches the network and fails when a file is not cached. Default null: on when the
    /// environment variable <c>TRANSFERKIT_OFFLINE</c> is <c>1</c> (or <c>true</c>, <c>yes</c>, <c>on</c>).
    /// </summary>
    public bool? Offline { get; init; }

    /// <summary>
    /// The client for downloads (proxies, headers); the cache does not dispose it. Default null: the cache makes its own
    /// with no overall timeout (large files take long), relying on <see cref="ReadTimeout"/> to detect stalls.
    /// </summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>
    /// The longest wait for the response headers or for the next chunk of the body before the download fails as stalled.
    /// Default 60 seconds; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        if (Directory is not null && string.IsNullOrWhiteSpace(Directory))
            throw new ArgumentException("WeightsCacheOptions.Directory must not be blank (null selects the default).", nameof(Directory));
        if (ReadTimeout <= TimeSpan.Zero && ReadTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentException($"WeightsCacheOptions.ReadTimeout must be positive or infinite, got {ReadTimeout}.", nameof(ReadTimeout));
        if (ReadTimeout != Timeout.InfiniteTimeSpan && ReadTimeout.TotalMilliseconds > int.MaxValue)
            throw new ArgumentException($"WeightsCacheOptions.ReadTimeout {ReadTimeout} is too long; use Timeout.InfiniteTimeSpan.", nameof(ReadTimeout));
    }
}

namespace TransferKit.Weights;

/// <summary>Why a weights download failed.</summary>
public enum WeightsDownloadFailure
{
    /// <summary>The server answered with an error status.</summary>
    HttpStatus,

    /// <summary>The connection could not be made or failed before the response.</summary>
    Network,

    /// <summary>The body ended before the announced Content-Length, or the connection was cut mid-transfer.</summary>
    Truncated,

    /// <summary>No data arrived for longer than <see cref="WeightsCacheOptions.ReadTimeout"/>.</summary>
    Stalled,

    /// <summary>Offline mode is on and the file is not in the cache.</summary>
    NotCachedOffline,
}

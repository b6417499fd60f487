namespace TransferKit.Weights;

/// <summary>
/// Raised when weights could not be downloaded (or, offline, are not cached). The message names the URL, the reason and,
/// for a truncated transfer, the bytes expected and received. No partial file is left in the cache.
/// </summary>
public sealed class WeightsDownloadException : TransferKitException
{
    /// <summary>Creates the error; <paramref name="reason"/> follows the URL in the message.</summary>
    public WeightsDownloadException(Uri url, WeightsDownloadFailure failure, string reason)
        : base($"{url}: {reason}")
    {
        Url = url;
        Failure = failure;
    }

    /// <summary>Creates the error with the lower-level cause.</summary>
    public WeightsDownloadException(Uri url, WeightsDownloadFailure failure, string reason, Exception innerException)
        : base($"{url}: {reason}", innerException)
    {
        Url = url;
        Failure = failure;
    }

    /// <summary>The URL that was being fetched.</summary>
    public Uri Url { get; }

    /// <summary>What went wrong.</summary>
    public WeightsDownloadFailure Failure { get; }

    /// <summary>The announced size, when known.</summary>
    public long? ExpectedBytes { get; init; }

    /// <summary>Bytes received before the failure.</summary>
    public long ReceivedBytes { get; init; }

    /// <summary>The HTTP status code, for <see cref="WeightsDownloadFailure.HttpStatus"/>.</summary>
    public int? StatusCode { get; init; }
}

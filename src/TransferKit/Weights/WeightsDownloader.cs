using System.Buffers;
using System.Security.Cryptography;

namespace TransferKit.Weights;

/// <summary>
/// Streams one URL into a temporary file next to the destination while hashing it, then verifies the SHA-256 and
/// renames the file into place. Any failure deletes the temporary file, so the destination either appears complete
/// and verified or not at all.
/// </summary>
internal static class WeightsDownloader
{
    private const int ChunkBytes = 1 << 16;

    /// <summary>Downloads <paramref name="url"/> to <paramref name="destination"/>; its folder must exist.</summary>
    /// <exception cref="WeightsDownloadException">HTTP error, network failure, truncated or stalled transfer.</exception>
    /// <exception cref="WeightsChecksumException">The bytes received do not hash to <paramref name="expectedSha256"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task DownloadAsync(
        HttpClient http, Uri url, string expectedSha256, string destination, IProgress<DownloadProgress>? progress,
        TimeSpan readTimeout, CancellationToken cancellationToken)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        string target = Path.Combine(folder, Path.GetFileName(destination));
        string temp = AtomicFile.CreateTemporary(target, out var output, useAsync: true);
        bool renamed = false;
        try
        {
            // One linked source whose timer is re-armed before each wait: it fires only when the server goes quiet.
            using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            watchdog.CancelAfter(readTimeout);
            using var response = await SendAsync(http, url, watchdog.Token, readTimeout, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new WeightsDownloadException(url, WeightsDownloadFailure.HttpStatus,
                    $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}.") { StatusCode = (int)response.StatusCode };
            }

            long? total = response.Content.Headers.ContentLength;
            long received = 0;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (output)
            {
                byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
                try
                {
                    await using var body = await response.Content.ReadAsStreamAsync(watchdog.Token).ConfigureAwait(false);
                    while (true)
                    {
                        watchdog.CancelAfter(readTimeout);
                        int n = await ReadAsync(body, buffer, url, received, total, watchdog.Token, readTimeout, cancellationToken).ConfigureAwait(false);
                        if (n == 0) break;
                        hash.AppendData(buffer, 0, n);
                        await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                        received += n;
                        progress?.Report(new DownloadProgress(received, total));
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
                if (total is long expected && received != expected)
                    throw Truncated(url, received, total, null);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                output.Flush(flushToDisk: true);
            }

            string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (actual != expectedSha256)
                throw new WeightsChecksumException(url.ToString(), expectedSha256, actual);
            AtomicFile.Commit(temp, target);
            renamed = true;
        }
        finally
        {
            await output.DisposeAsync().ConfigureAwait(false);
            if (!renamed) AtomicFile.TryDelete(temp);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, Uri url, CancellationToken watchdog, TimeSpan readTimeout, CancellationToken cancellationToken)
    {
        try
        {
            return await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, watchdog).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WeightsDownloadException(url, WeightsDownloadFailure.Stalled, $"no response within {readTimeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException e)
        {
            throw new WeightsDownloadException(url, WeightsDownloadFailure.Network, $"the request failed: {e.Message}", e);
        }
    }

    private static async Task<int> ReadAsync(
        Stream body, byte[] buffer, Uri url, long received, long? total, CancellationToken watchdog, TimeSpan readTimeout,
        CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(buffer.AsMemory(0, ChunkBytes), watchdog).ConfigureAwait(false);
        }
        catch (Exception e) when ((e is IOException or HttpRequestException or OperationCanceledException) && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The weights download was cancelled.", e, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw new WeightsDownloadException(url, WeightsDownloadFailure.Stalled,
                $"no data for {readTimeout.TotalSeconds:0.###} s after {received} bytes{Of(total)}.") { ExpectedBytes = total, ReceivedBytes = received };
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // SocketsHttpHandler reports a body shorter than Content-Length, or a cut connection, as HttpIOException.
            throw Truncated(url, received, total, e);
        }
    }

    private static WeightsDownloadException Truncated(Uri url, long received, long? total, Exception? cause)
    {
        string reason = $"the transfer was cut after {received} bytes{Of(total)}; nothing was kept.";
        return cause is null
            ? new WeightsDownloadException(url, WeightsDownloadFailure.Truncated, reason) { ExpectedBytes = total, ReceivedBytes = received }
            : new WeightsDownloadException(url, WeightsDownloadFailure.Truncated, reason, cause) { ExpectedBytes = total, ReceivedBytes = received };
    }

    private static string Of(long? total) => total is long t ? $" of {t}" : "";
}

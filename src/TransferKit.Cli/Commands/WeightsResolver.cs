using TransferKit.Cli.Output;
using TransferKit.Cli.Parsing;
using TransferKit.Weights;

namespace TransferKit.Cli.Commands;

/// <summary>
/// Makes a <c>--weights</c> value a local file: a path is checked to exist; a URL is fetched through the library's
/// <see cref="WeightsCache"/> (once, verified against <c>--weights-sha256</c>, reused afterwards; <c>TRANSFERKIT_CACHE</c>
/// and <c>TRANSFERKIT_OFFLINE</c> apply).
/// </summary>
internal static class WeightsResolver
{
    /// <summary>Parses <c>--weights-sha256</c>: 64 hex digits.</summary>
    /// <exception cref="FormatException">The text is not 64 hex digits.</exception>
    public static string ParseSha256(string text)
    {
        string t = text.Trim();
        return t.Length == 64 && t.All(char.IsAsciiHexDigit)
            ? t.ToLowerInvariant()
            : throw new FormatException($"expected the file's SHA-256 as 64 hex digits, got '{text}'.");
    }

    /// <summary>The local path of the weights.</summary>
    /// <param name="weights">The <c>--weights</c> value.</param>
    /// <param name="sha256">Its SHA-256, or null.</param>
    /// <param name="context">Where download progress is noted.</param>
    /// <param name="cancellationToken">Stops a download.</param>
    /// <param name="missingSha256">The usage error for a URL without its SHA-256, when the command words it differently.</param>
    /// <exception cref="FileNotFoundException">A local file does not exist.</exception>
    /// <exception cref="UsageException">A URL was given without its SHA-256.</exception>
    /// <exception cref="WeightsDownloadException">The download failed, or the cache is offline and lacks the file.</exception>
    /// <exception cref="WeightsChecksumException">The downloaded bytes do not have the SHA-256 given.</exception>
    public static async Task<string> ResolveAsync(WeightsChoice weights, string? sha256, CliContext context, CancellationToken cancellationToken,
        string? missingSha256 = null)
    {
        if (weights.Url is not { } url)
        {
            string path = Path.GetFullPath(weights.Text);
            return File.Exists(path) ? path : throw new FileNotFoundException($"{path}: the weights file does not exist.", path);
        }
        if (sha256 is null)
            throw new UsageException(missingSha256 ?? "--weights with a URL needs --weights-sha256 (the file's SHA-256, 64 hex digits), so the download can be verified.");
        using var cache = new WeightsCache();
        string target = cache.PathFor(url, sha256);
        if (!File.Exists(target) && !cache.Offline) context.Note($"downloading {url} into {cache.Directory}");
        string file = await cache.GetFileAsync(url, sha256, new DownloadLog(context), cancellationToken).ConfigureAwait(false);
        context.Note($"weights: {file} ({Numbers.Bytes(new FileInfo(file).Length)}, SHA-256 verified)");
        return file;
    }

    /// <summary>A line at each quarter of a download (or every 50 MB when the size is not announced).</summary>
    private sealed class DownloadLog(CliContext context) : IProgress<DownloadProgress>
    {
        private long _reported;

        public void Report(DownloadProgress value)
        {
            long step = value.TotalBytes is > 0 and long total ? (total + 3) / 4 : 50_000_000;
            if (value.BytesReceived / step <= _reported / step) return;
            _reported = value.BytesReceived;
            string of = value.TotalBytes is long all ? $" of {Numbers.Bytes(all)}" : "";
            context.Note($"  downloaded {Numbers.Bytes(value.BytesReceived)}{of}");
        }
    }
}

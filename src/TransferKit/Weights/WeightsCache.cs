using System.Text;

namespace TransferKit.Weights;

/// <summary>
/// A folder of downloaded weights files, each named after its URL and SHA-256 and verified against that hash whenever it
/// is used. <see cref="GetFileAsync"/> returns a cached file without touching the network, or downloads it (to a
/// temporary file, hashed on the way, renamed into place only when the hash matches). In offline mode it never
/// downloads. Thread-safe; several processes may share the folder.
/// </summary>
public sealed class WeightsCache : IDisposable
{
    /// <summary>Environment variable naming the cache folder.</summary>
    public const string DirectoryVariable = "TRANSFERKIT_CACHE";

    /// <summary>Environment variable that turns offline mode on when it is <c>1</c>, <c>true</c>, <c>yes</c> or <c>on</c>.</summary>
    public const string OfflineVariable = "TRANSFERKIT_OFFLINE";

    private readonly HttpClient? _ownedClient;
    private readonly HttpClient? _client;
    private readonly TimeSpan _readTimeout;

    /// <summary>Creates a cache with <paramref name="options"/> (null for the defaults).</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public WeightsCache(WeightsCacheOptions? options = null)
    {
        options ??= new WeightsCacheOptions();
        options.Validate();
        Directory = Path.GetFullPath(options.Directory ?? DefaultDirectory());
        Offline = options.Offline ?? OfflineByEnvironment();
        _readTimeout = options.ReadTimeout;
        _client = options.HttpClient;
        if (_client is null && !Offline)
        {
            _ownedClient = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            _client = _ownedClient;
        }
    }

    /// <summary>The cache folder (created on the first download).</summary>
    public string Directory { get; }

    /// <summary>True when the cache never downloads.</summary>
    public bool Offline { get; }

    /// <summary>
    /// The default folder: <c>TRANSFERKIT_CACHE</c> when set; else <c>$XDG_CACHE_HOME/transferkit</c>; else
    /// <c>~/.cache/transferkit</c> on Linux and the local application data folder's <c>TransferKit/cache</c> elsewhere.
    /// </summary>
    public static string DefaultDirectory() => DefaultDirectory(Environment.GetEnvironmentVariable);

    /// <summary>Whether <c>TRANSFERKIT_OFFLINE</c> asks for offline mode.</summary>
    public static bool OfflineByEnvironment() => IsOn(Environment.GetEnvironmentVariable(OfflineVariable));

    internal static string DefaultDirectory(Func<string, string?> environment)
    {
        string? explicitFolder = environment(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(explicitFolder)) return explicitFolder;
        string? xdg = environment("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg)) return Path.Combine(xdg, "transferkit");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if ((OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD()) && home.Length > 0)
            return Path.Combine(home, ".cache", "transferkit");
        string local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return Path.Combine(local.Length > 0 ? local : Path.GetTempPath(), "TransferKit", "cache");
    }

    internal static bool IsOn(string? value) =>
        value is not null && (value.Trim() is "1" || value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase)
            || value.Trim().Equals("yes", StringComparison.OrdinalIgnoreCase) || value.Trim().Equals("on", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Where <paramref name="url"/> with content hash <paramref name="sha256"/> is cached:
    /// <c>{last URL segment}-{12 hex of SHA-256(URL)}-{16 hex of the content hash}{extension}</c>, e.g.
    /// <c>model-3f2a...-9c1e....safetensors</c>. The URL part keeps files of different sources apart; the content part
    /// gives a new file name when a descriptor's hash changes.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="sha256"/> is not 64 hex digits.</exception>
    public string PathFor(Uri url, string sha256)
    {
        ArgumentNullException.ThrowIfNull(url);
        string hash = CheckSha(sha256);
        string segment = Uri.UnescapeDataString(url.Segments.Length > 0 ? url.Segments[^1].TrimEnd('/') : "");
        string extension = Path.GetExtension(segment);
        if (extension.Length is 0 or > 16) extension = ".safetensors";
        string stem = Sanitize(Path.GetFileNameWithoutExtension(segment));
        return Path.Combine(Directory, $"{stem}-{Sha256Hex.OfText(url.AbsoluteUri)[..12]}-{hash[..16]}.{Sanitize(extension.TrimStart('.'))}");
    }

    /// <summary>
    /// Returns the cached, verified file for <paramref name="url"/>, downloading it first when it is missing (or its
    /// cached copy no longer matches the hash).
    /// </summary>
    /// <param name="url">An absolute http(s) URL.</param>
    /// <param name="sha256">The expected SHA-256 (64 hex digits).</param>
    /// <param name="progress">Receives bytes received and the announced total after each chunk.</param>
    /// <param name="cancellationToken">Cancels the download; the partial file is deleted.</param>
    /// <returns>The full path of the verified file.</returns>
    /// <exception cref="WeightsDownloadException">HTTP error, network failure, truncated or stalled transfer, or offline with no cached copy.</exception>
    /// <exception cref="WeightsChecksumException">The downloaded bytes do not match <paramref name="sha256"/> (nothing is kept).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<string> GetFileAsync(Uri url, string sha256, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"'{url}' is not an absolute http or https URL.", nameof(url));
        string expected = CheckSha(sha256);
        string path = PathFor(url, expected);
        cancellationToken.ThrowIfCancellationRequested();

        string? stale = null;
        if (File.Exists(path))
        {
            string actual = await Sha256Hex.OfFileAsync(path, cancellationToken).ConfigureAwait(false);
            if (actual == expected) return path;
            // A damaged copy (disk error, edited by hand) is dropped and fetched again.
            TryDelete(path);
            stale = $" (the cached copy had SHA-256 {actual} and was removed)";
        }
        if (Offline || _client is null)
        {
            throw new WeightsDownloadException(url, WeightsDownloadFailure.NotCachedOffline,
                $"offline mode is on ({OfflineVariable} or WeightsCacheOptions.Offline) and the file is not cached at {path}{stale}. "
                + "Run once online, or put the verified file at that path.");
        }
        System.IO.Directory.CreateDirectory(Directory);
        await WeightsDownloader.DownloadAsync(_client, url, expected, path, progress, _readTimeout, cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>
    /// The local path of <paramref name="descriptor"/>'s weights: a URL goes through <see cref="GetFileAsync"/>; a local
    /// file is checked to exist and, when the descriptor has a hash, verified.
    /// </summary>
    /// <exception cref="ArgumentException">The descriptor is invalid.</exception>
    /// <exception cref="FileNotFoundException">A local source does not exist.</exception>
    /// <exception cref="WeightsChecksumException">The file does not match the descriptor's hash.</exception>
    /// <exception cref="WeightsDownloadException">The download failed, or offline with no cached copy.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<string> ResolveAsync(WeightsDescriptor descriptor, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        descriptor.Validate();
        switch (descriptor.Source)
        {
            case UrlWeightsSource url:
                return await GetFileAsync(url.Url, descriptor.Sha256!, progress, cancellationToken).ConfigureAwait(false);
            case FileWeightsSource file:
                if (!File.Exists(file.Path))
                    throw new FileNotFoundException($"The weights file of '{descriptor.Name}' does not exist: {file.Path}.", file.Path);
                if (descriptor.Sha256 is not null)
                {
                    string expected = Sha256Hex.Normalize(descriptor.Sha256);
                    string actual = await Sha256Hex.OfFileAsync(file.Path, cancellationToken).ConfigureAwait(false);
                    if (actual != expected) throw new WeightsChecksumException(file.Path, expected, actual);
                }
                return file.Path;
            default:
                throw new ArgumentException($"Unknown weights source {descriptor.Source.GetType().Name}.", nameof(descriptor));
        }
    }

    /// <summary>Releases the HTTP client the cache created (not one passed in the options).</summary>
    public void Dispose() => _ownedClient?.Dispose();

    private static string CheckSha(string sha256)
    {
        if (!Sha256Hex.IsValid(sha256))
            throw new ArgumentException($"A SHA-256 must be 64 hex digits, got '{sha256}'.", nameof(sha256));
        return Sha256Hex.Normalize(sha256);
    }

    private static string Sanitize(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, 64));
        foreach (char c in text.AsSpan(0, Math.Min(text.Length, 64)))
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        string result = builder.ToString().Trim('.');
        return result.Length == 0 ? "weights" : result;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { /* another process may hold it; the download below replaces it */ }
        catch (UnauthorizedAccessException) { /* same */ }
    }
}

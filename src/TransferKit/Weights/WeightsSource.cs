namespace TransferKit.Weights;

/// <summary>
/// Where a set of weights lives: a local file (<see cref="FileWeightsSource"/>) or an HTTP(S) URL
/// (<see cref="UrlWeightsSource"/>) that <see cref="WeightsCache"/> downloads once and verifies.
/// </summary>
public abstract record WeightsSource
{
    private protected WeightsSource()
    {
    }

    /// <summary>A local safetensors file.</summary>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    public static FileWeightsSource FromFile(string path) => new(path);

    /// <summary>An absolute http or https URL.</summary>
    /// <exception cref="ArgumentException">The text is not an absolute http(s) URL.</exception>
    public static UrlWeightsSource FromUrl(string url)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            throw new ArgumentException($"'{url}' is not an absolute URL.", nameof(url));
        return new UrlWeightsSource(uri);
    }
}

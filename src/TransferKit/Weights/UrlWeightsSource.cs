namespace TransferKit.Weights;

/// <summary>Weights to download from an http or https URL (into <see cref="WeightsCache"/>).</summary>
/// <param name="Url">The absolute http(s) URL.</param>
public sealed record UrlWeightsSource(Uri Url) : WeightsSource
{
    /// <summary>The absolute http(s) URL.</summary>
    public Uri Url { get; } = Check(Url);

    /// <summary>Formats as the URL.</summary>
    public override string ToString() => Url.ToString();

    private static Uri Check(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"'{url}' is not an absolute http or https URL.", nameof(url));
        return url;
    }
}

using TransferKit.Models.Onnx;

namespace TransferKit.Cli.Parsing;

/// <summary>
/// A <c>--weights</c> value: a local file (safetensors, PyTorch checkpoint or ONNX model), an http(s) URL that the weights
/// cache downloads and verifies, or the name of a <see cref="PretrainedBackbones"/> entry such as <c>mlnet-resnet18</c>.
/// </summary>
/// <param name="Text">The value as given.</param>
/// <param name="Url">The URL, or null for a local file or a named entry.</param>
/// <param name="Named">The named entry, or null.</param>
internal sealed record WeightsChoice(string Text, Uri? Url, PretrainedBackbone? Named = null)
{
    /// <summary>Whether the weights are to be downloaded.</summary>
    public bool IsUrl => Url is not null;

    /// <summary>Parses an entry's name (unless a file of that name exists), a path, or an absolute http(s) URL.</summary>
    /// <exception cref="FormatException">The text is empty, or looks like a URL but is not a valid absolute http(s) one.</exception>
    public static WeightsChoice Parse(string text)
    {
        string t = text.Trim();
        if (t.Length == 0) throw new FormatException("expected a weights file, a named backbone or an http(s) URL, got nothing.");
        if (PretrainedBackbones.Find(t) is { } named && !File.Exists(t)) return new(t, null, named);
        if (!t.Contains("://", StringComparison.Ordinal)) return new(t, null);
        return Uri.TryCreate(t, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? new(t, uri)
            : throw new FormatException($"'{text}' is not an http or https URL; give a local .safetensors or .pth file, or such a URL.");
    }

    /// <summary>Formats as the value given.</summary>
    public override string ToString() => Text;
}

using System.Globalization;
using System.Text;
using System.Xml;

namespace TransferKit.Reporting;

/// <summary>
/// Writes markup that is HTML5 and well-formed XML at once, so the report opens in any browser and tests can read it
/// with <c>XDocument</c>. Every element opened is closed; HTML elements that may have content always get an end tag
/// (an HTML parser ignores <c>/&gt;</c> on them), while void HTML elements and SVG shapes close themselves. Text and
/// attribute values are escaped, and characters XML 1.0 forbids (control characters, lone surrogates) become U+FFFD,
/// so a class or file name can never add markup.
/// </summary>
internal sealed class MarkupWriter
{
    private static readonly HashSet<string> VoidHtml = new(StringComparer.Ordinal) { "meta", "img", "br", "hr", "col", "wbr" };

    private readonly StringBuilder _out = new();
    private readonly Stack<string> _open = new();
    private int _svgDepth;

    /// <summary>Opens <paramref name="tag"/> with the attributes whose value is not null.</summary>
    public MarkupWriter Open(string tag, params ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        StartTag(tag, attributes);
        _out.Append('>');
        _open.Push(tag);
        if (tag == "svg") _svgDepth++;
        return this;
    }

    /// <summary>Closes the innermost open element.</summary>
    /// <exception cref="InvalidOperationException">No element is open.</exception>
    public MarkupWriter Close()
    {
        if (_open.Count == 0) throw new InvalidOperationException("No element is open.");
        string tag = _open.Pop();
        if (tag == "svg") _svgDepth--;
        _out.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>Writes <paramref name="tag"/> holding <paramref name="text"/> (escaped); an empty one still gets its end tag.</summary>
    public MarkupWriter Element(string tag, string? text, params ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        Open(tag, attributes);
        Text(text);
        return Close();
    }

    /// <summary>Writes a self-closing element: a void HTML element, or any element inside an <c>svg</c>.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="tag"/> is an HTML element that needs an end tag.</exception>
    public MarkupWriter Empty(string tag, params ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        if (_svgDepth == 0 && !VoidHtml.Contains(tag))
            throw new InvalidOperationException($"<{tag}/> is not self-closing in HTML; use Element or Open and Close.");
        StartTag(tag, attributes);
        _out.Append("/>");
        return this;
    }

    /// <summary>Writes escaped text.</summary>
    public MarkupWriter Text(string? text)
    {
        Escape(text, inAttribute: false);
        return this;
    }

    /// <summary>
    /// Writes <paramref name="trusted"/> as it is: only for text this library wrote (the style sheet), never data.
    /// </summary>
    /// <exception cref="ArgumentException">The text contains <c>&lt;</c> or <c>&amp;</c>, which would break the XML.</exception>
    public MarkupWriter Raw(string trusted)
    {
        if (trusted.AsSpan().IndexOfAny('<', '&') >= 0) throw new ArgumentException("Raw markup must not contain '<' or '&'.", nameof(trusted));
        _out.Append(trusted);
        return this;
    }

    /// <summary>The markup so far.</summary>
    /// <exception cref="InvalidOperationException">An element is still open.</exception>
    public override string ToString()
    {
        if (_open.Count > 0) throw new InvalidOperationException($"<{_open.Peek()}> is still open.");
        return _out.ToString();
    }

    /// <summary>Formats a number for markup: invariant culture, at most <paramref name="decimals"/> decimals, no exponent for coordinates.</summary>
    public static string Number(double value, int decimals = 2) =>
        Math.Round(value, decimals).ToString("0.##########", CultureInfo.InvariantCulture);

    private void StartTag(string tag, ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        _out.Append('<').Append(tag);
        foreach (var (name, value) in attributes)
        {
            if (value is null) continue;
            _out.Append(' ').Append(name).Append("=\"");
            Escape(value, inAttribute: true);
            _out.Append('"');
        }
    }

    private void Escape(string? text, bool inAttribute)
    {
        if (string.IsNullOrEmpty(text)) return;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': _out.Append("&amp;"); break;
                case '<': _out.Append("&lt;"); break;
                case '>': _out.Append("&gt;"); break;
                case '"' when inAttribute: _out.Append("&quot;"); break;
                // A newline in an attribute would be normalised to a space by an XML parser; keep it.
                case '\n' when inAttribute: _out.Append("&#10;"); break;
                case '\r': _out.Append("&#13;"); break;
                case '\t' when inAttribute: _out.Append("&#9;"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
                    {
                        _out.Append(c).Append(text[++i]);
                    }
                    else
                    {
                        _out.Append(XmlConvert.IsXmlChar(c) ? c : '\uFFFD');
                    }
                    break;
            }
        }
    }
}

using TransferKit.Models;

namespace TransferKit.Cli.Parsing;

/// <summary>
/// The head options as a <see cref="HeadSpec"/>: <c>--head 256,128</c> (hidden widths, <c>none</c> for none),
/// <c>--pooling avg|max|concat|flatten</c>, <c>--dropout P</c> (after every hidden block, or before the output when
/// there is none) and <c>--batchnorm</c> (before every hidden block's Linear).
/// </summary>
internal static class HeadSpecParser
{
    /// <summary>The <c>--pooling</c> names.</summary>
    public static IReadOnlyDictionary<string, HeadPooling> Poolings { get; } = new Dictionary<string, HeadPooling>(StringComparer.OrdinalIgnoreCase)
    {
        ["avg"] = HeadPooling.Average,
        ["max"] = HeadPooling.Max,
        ["concat"] = HeadPooling.Concat,
        ["flatten"] = HeadPooling.Flatten,
    };

    /// <summary>Parses <c>--head</c>: hidden widths such as <c>256,128</c>, or <c>none</c>.</summary>
    /// <exception cref="FormatException">A width is not a whole number of at least 1.</exception>
    public static IReadOnlyList<int> ParseHidden(string text) => ValueParsers.PositiveIntList(text);

    /// <summary>Parses <c>--pooling</c>.</summary>
    /// <exception cref="FormatException">The name is not one of <see cref="Poolings"/>.</exception>
    public static HeadPooling ParsePooling(string text) => ValueParsers.OneOf(text, Poolings);

    /// <summary>Builds the head.</summary>
    /// <param name="hidden">Hidden block widths, in order.</param>
    /// <param name="pooling">How the feature map becomes a vector.</param>
    /// <param name="dropout">Dropout probability in [0, 1); 0 for none.</param>
    /// <param name="batchNorm">Whether each hidden block starts with BatchNorm (needs hidden blocks).</param>
    /// <exception cref="UsageException"><paramref name="batchNorm"/> is asked for with no hidden blocks.</exception>
    public static HeadSpec Build(IReadOnlyList<int> hidden, HeadPooling pooling, float dropout, bool batchNorm)
    {
        if (batchNorm && hidden.Count == 0)
            throw new UsageException("--batchnorm puts BatchNorm in the hidden blocks of the head; give them with --head, such as --head 256.");
        var head = new HeadSpec { Pooling = pooling }.Hidden([.. hidden]);
        if (batchNorm) head = head.BatchNorm();
        if (dropout > 0) head = head.Dropout(dropout);
        return head;
    }
}

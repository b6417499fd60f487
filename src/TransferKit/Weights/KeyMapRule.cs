namespace TransferKit.Weights;

/// <summary>
/// One rename of a <see cref="KeyMap"/>: every key whose module path starts with <paramref name="Source"/> gets
/// <paramref name="Target"/> in its place. Paths are dotted module names without a trailing dot
/// (<c>blocks.1.0.conv_pw</c> becomes <c>features.2.0.block.0.0</c>, so <c>blocks.1.0.conv_pw.weight</c> becomes
/// <c>features.2.0.block.0.0.weight</c>). A path may also be a whole key.
/// </summary>
/// <param name="Source">The module path in the file's naming scheme.</param>
/// <param name="Target">The module path in torchvision's naming scheme.</param>
public readonly record struct KeyMapRule(string Source, string Target)
{
    /// <summary>Formats as <c>source -> target</c>.</summary>
    public override string ToString() => $"{Source} -> {Target}";
}

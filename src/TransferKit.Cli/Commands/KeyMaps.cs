using TransferKit.Cli.Parsing;
using TransferKit.Weights;

namespace TransferKit.Cli.Commands;

/// <summary>The <c>--key-map</c> names and the library's key map each one means for an architecture.</summary>
internal static class KeyMaps
{
    /// <summary>torchvision's state-dict names (no renaming).</summary>
    public const string Torchvision = "torchvision";

    /// <summary>timm's names.</summary>
    public const string Timm = "timm";

    /// <summary>The accepted names.</summary>
    public static IReadOnlyDictionary<string, string> Names { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [Torchvision] = Torchvision,
        [Timm] = Timm,
    };

    /// <summary>The key map for weights named by <paramref name="names"/> for <paramref name="architecture"/>; null for torchvision's.</summary>
    /// <exception cref="UsageException">timm names are asked for where the library has no map for them.</exception>
    public static KeyMap? For(string names, ArchitectureChoice architecture)
    {
        if (names == Torchvision) return null;
        return (architecture.Info is { } info ? TimmKeyMaps.For(info) : null)
            ?? throw new UsageException($"--key-map timm: there is no timm key map for {architecture.Name}; there are for resnet*, mobilenet_v2 and efficientnet_b0.");
    }
}

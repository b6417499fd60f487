namespace TransferKit.Weights;

/// <summary>
/// Renames the tensor keys of a weights file to torchvision's <c>state_dict</c> keys before they are matched with a
/// model's parameters. A map is a table of module-path renames (<see cref="KeyMapRule"/>): a key takes the rule with
/// the longest source path that is a whole-segment prefix of it, and keys no rule covers keep their name (so a
/// mistake shows up as an unexpected key, never as a silent drop). torchvision and timm ResNets share names, so
/// they use <see cref="Identity"/>; <see cref="TimmKeyMaps"/> holds the tables for timm's MobileNetV2 and EfficientNet.
/// </summary>
public sealed class KeyMap
{
    private readonly Dictionary<string, string> _bySource;

    private KeyMap(string name, IReadOnlyList<KeyMapRule> rules)
    {
        Name = name;
        Rules = rules;
        _bySource = new Dictionary<string, string>(rules.Count, StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (!_bySource.TryAdd(rule.Source, rule.Target))
                throw new ArgumentException($"Key map '{name}' has two rules for source path '{rule.Source}'.", nameof(rules));
        }
    }

    /// <summary>The map that keeps every key (torchvision files, and timm ResNets).</summary>
    public static KeyMap Identity { get; } = new("identity", []);

    /// <summary>A short name for messages and reports, e.g. <c>timm-efficientnet_b0</c>.</summary>
    public string Name { get; }

    /// <summary>The renames, in the order given.</summary>
    public IReadOnlyList<KeyMapRule> Rules { get; }

    /// <summary>True when the map has no rules.</summary>
    public bool IsIdentity => Rules.Count == 0;

    /// <summary>Builds a map from module-path renames.</summary>
    /// <param name="name">A short name for messages.</param>
    /// <param name="rules">The renames; each source path at most once. Paths must be non-empty and must not start or end with a dot.</param>
    /// <exception cref="ArgumentException">The name is empty, a path is empty or badly dotted, or a source path repeats.</exception>
    public static KeyMap FromRules(string name, IEnumerable<KeyMapRule> rules)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(rules);
        var list = rules.ToList();
        foreach (var rule in list)
        {
            CheckPath(name, rule.Source);
            CheckPath(name, rule.Target);
        }
        return new KeyMap(name, list.AsReadOnly());
    }

    /// <summary>
    /// The torchvision name of <paramref name="sourceKey"/>: the longest rule whose source path equals the key or
    /// is followed in it by a dot is applied; a key no rule covers is returned unchanged.
    /// </summary>
    public string Map(string sourceKey)
    {
        ArgumentNullException.ThrowIfNull(sourceKey);
        if (_bySource.Count == 0) return sourceKey;
        if (_bySource.TryGetValue(sourceKey, out var whole)) return whole;
        // Try the module paths from the longest down: "a.b.c.weight" -> "a.b.c", "a.b", "a".
        for (int end = sourceKey.LastIndexOf('.'); end > 0; end = sourceKey.LastIndexOf('.', end - 1))
        {
            if (_bySource.TryGetValue(sourceKey[..end], out var target))
                return string.Concat(target, sourceKey.AsSpan(end));
        }
        return sourceKey;
    }

    /// <summary>Formats as the name and the number of rules.</summary>
    public override string ToString() => $"{Name} ({Rules.Count} rules)";

    private static void CheckPath(string mapName, string path)
    {
        if (string.IsNullOrEmpty(path) || path[0] == '.' || path[^1] == '.' || path.Contains("..", StringComparison.Ordinal))
            throw new ArgumentException($"Key map '{mapName}' has an invalid module path '{path}': paths are dotted names with no empty segment.", nameof(path));
    }
}

using TransferKit.Models;
using TransferKit.Weights;

namespace TransferKit.Cli.Inspection;

/// <summary>
/// Finds the catalog architectures a weights file fits: every backbone key and shape equal to the architecture's
/// state dict (after renaming with a timm key map where the library has one), with the head matching, missing or
/// replaced. Building a network to read its keys costs its whole initialisation, so candidates are first narrowed by
/// comparing the file's backbone parameter count with the catalog's, which needs no network at all.
/// </summary>
internal static class ArchitectureMatcher
{
    private static readonly string[] StatisticSuffixes = [".running_mean", ".running_var", ".num_batches_tracked"];

    /// <summary>The architectures <paramref name="tensors"/> fit, in catalog order.</summary>
    public static IReadOnlyList<ArchitectureFit> Match(IReadOnlyList<SafetensorsTensorInfo> tensors)
    {
        var fits = new List<ArchitectureFit>();
        foreach (var architecture in Architectures.All)
        {
            foreach (var keyMap in KeyMapsFor(architecture))
            {
                var named = Rename(tensors, keyMap);
                if (named is null) continue;
                string head = architecture.HeadName + ".";
                long backbone = named.Where(kv => !kv.Key.StartsWith(head, StringComparison.Ordinal) && !IsStatistic(kv.Key)).Sum(kv => Elements(kv.Value));
                if (backbone != architecture.ParameterCountWithoutHead) continue;
                if (Compare(architecture, named, head) is { } fit) fits.Add(fit with { KeyMap = keyMap.Name });
            }
        }
        return fits;
    }

    /// <summary>Whether <paramref name="key"/> names a BatchNorm running statistic rather than a learnable parameter.</summary>
    public static bool IsStatistic(string key) => StatisticSuffixes.Any(s => key.EndsWith(s, StringComparison.Ordinal));

    /// <summary>Number of elements of a tensor of <paramref name="shape"/>.</summary>
    public static long Elements(IReadOnlyList<int> shape)
    {
        long n = 1;
        foreach (int d in shape) n *= d;
        return n;
    }

    private static IEnumerable<KeyMap> KeyMapsFor(ArchitectureInfo architecture) => architecture.Name switch
    {
        "mobilenet_v2" => [KeyMap.Identity, TimmKeyMaps.MobileNetV2],
        "efficientnet_b0" => [KeyMap.Identity, TimmKeyMaps.EfficientNetB0],
        // timm's ResNets already use torchvision's names.
        _ => [KeyMap.Identity],
    };

    /// <summary>The file's shapes by renamed key (batch counters dropped), or null when two keys collide under the map.</summary>
    private static Dictionary<string, int[]>? Rename(IReadOnlyList<SafetensorsTensorInfo> tensors, KeyMap keyMap)
    {
        var named = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            if (t.Name.EndsWith(".num_batches_tracked", StringComparison.Ordinal) || t.Name == "num_batches_tracked") continue;
            if (!named.TryAdd(keyMap.Map(t.Name), t.Shape)) return null;
        }
        return named;
    }

    /// <summary>Compares keys and shapes with a freshly built 1000-class network.</summary>
    private static ArchitectureFit? Compare(ArchitectureInfo architecture, Dictionary<string, int[]> named, string head)
    {
        using var network = architecture.CreateImageNet();
        var own = network.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Shape.ToArray(), StringComparer.Ordinal);
        bool InHead(string key) => key.StartsWith(head, StringComparison.Ordinal);

        var ownBackbone = own.Where(kv => !InHead(kv.Key)).ToList();
        int fileBackbone = named.Keys.Count(k => !InHead(k));
        if (fileBackbone != ownBackbone.Count) return null;
        foreach (var (key, shape) in ownBackbone)
            if (!named.TryGetValue(key, out var fileShape) || !fileShape.SequenceEqual(shape)) return null;

        var fileHead = named.Where(kv => InHead(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var ownHead = own.Where(kv => InHead(kv.Key)).ToList();
        HeadFit fit = fileHead.Count == 0 ? HeadFit.Missing
            : fileHead.Count == ownHead.Count && ownHead.All(kv => named.TryGetValue(kv.Key, out var s) && s.SequenceEqual(kv.Value)) ? HeadFit.Exact
            : HeadFit.Replaced;
        return new ArchitectureFit(architecture, KeyMap.Identity.Name, fit, [.. fileHead.Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value)}]")]);
    }
}

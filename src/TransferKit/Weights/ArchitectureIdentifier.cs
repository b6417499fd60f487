using System.Collections.Concurrent;
using TransferKit.Models;

namespace TransferKit.Weights;

/// <summary>
/// Tells which catalog architectures (<see cref="Architectures.All"/>) a weights file fits, from its header alone.
/// <para>
/// A file fits an architecture when, after renaming its keys with torchvision's names or with the architecture's timm
/// key map (<see cref="TimmKeyMaps.For"/>; torchvision's names are tried first, and the first that fits is the one
/// reported), it has every backbone key of the architecture's state dict with the same shape and no other backbone
/// key; BatchNorm <c>num_batches_tracked</c> counters are ignored, as the loader ignores them. The head (keys under <see cref="ArchitectureInfo.HeadName"/>) may then be ImageNet's, missing, or replaced
/// (<see cref="HeadFit"/>), so a backbone-only export and a fine-tuned checkpoint with other classes are recognised too.
/// </para>
/// <para>
/// Cost: reading a network's keys means building it once, with its whole initialisation (about 0.1 s for mobilenet_v2,
/// 1 s for resnet50, several seconds for VGG-16's 138 M parameters), so each candidate is first checked against the
/// catalog's <see cref="ArchitectureInfo.ParameterCountWithoutHead"/> by summing the file's backbone element counts,
/// which needs no network. Usually one network at most is built, and its key shapes are kept for later calls.
/// Thread-safe.
/// </para>
/// </summary>
public static class ArchitectureIdentifier
{
    private const string BatchCounter = "num_batches_tracked";

    // Building a network costs its initialisation (seconds for VGG-16); its key shapes are a few kilobytes, so they are kept.
    private static readonly ConcurrentDictionary<string, Dictionary<string, int[]>> ShapesByArchitecture = new(StringComparer.Ordinal);

    /// <summary>The architectures that <paramref name="weightsPath"/>'s tensors fit; only the header (or the checkpoint's pickle) is read.</summary>
    /// <param name="weightsPath">A safetensors file (memory-mapped; no tensor data is read) or a PyTorch zip checkpoint.</param>
    /// <returns>The fits in catalog order; empty when the file fits none.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="PickleWeightsException">The file is a legacy (non-zip) pickle checkpoint.</exception>
    /// <exception cref="PyTorchCheckpointException">A zip checkpoint is refused (unsafe global, malformed storage or tensor).</exception>
    /// <exception cref="SafetensorsFormatException">The file is not valid safetensors (truncated, bad header); the message names the file.</exception>
    public static IReadOnlyList<ArchitectureMatch> Identify(string weightsPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(weightsPath);
        using var file = WeightsFiles.Open(weightsPath);
        return Identify(file.Tensors);
    }

    /// <summary>The architectures that <paramref name="tensors"/> (a safetensors header, e.g. <see cref="SafetensorsFile.Tensors"/>) fit.</summary>
    /// <returns>The fits in catalog order; empty when the tensors fit none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensors"/> is null.</exception>
    public static IReadOnlyList<ArchitectureMatch> Identify(IReadOnlyList<SafetensorsTensorInfo> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var matches = new List<ArchitectureMatch>();
        foreach (var architecture in Architectures.All)
        {
            string head = architecture.HeadName + ".";
            foreach (var keyMap in KeyMapsFor(architecture))
            {
                var named = Rename(tensors, keyMap);
                if (named is null) continue;
                long backbone = named.Where(kv => !kv.Key.StartsWith(head, StringComparison.Ordinal) && !kv.Value.IsBatchNormStatistic)
                    .Sum(kv => kv.Value.ElementCount);
                if (backbone != architecture.ParameterCountWithoutHead) continue;
                if (Compare(architecture, keyMap, named, head) is not { } match) continue;
                // One fit per architecture, torchvision's names first: timm's maps leave torchvision's backbone keys
                // as they are, so a torchvision file fits them too, with its head renamed away.
                matches.Add(match);
                break;
            }
        }
        return matches;
    }

    private static IEnumerable<KeyMap> KeyMapsFor(ArchitectureInfo architecture)
    {
        yield return KeyMap.Identity;
        if (TimmKeyMaps.For(architecture) is { IsIdentity: false } timm) yield return timm;
    }

    /// <summary>The file's tensors by renamed key (batch counters left out), or null when two keys collide under the map.</summary>
    private static Dictionary<string, SafetensorsTensorInfo>? Rename(IReadOnlyList<SafetensorsTensorInfo> tensors, KeyMap keyMap)
    {
        var named = new Dictionary<string, SafetensorsTensorInfo>(tensors.Count, StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            if (t.Name == BatchCounter || t.Name.EndsWith("." + BatchCounter, StringComparison.Ordinal)) continue;
            if (!named.TryAdd(keyMap.Map(t.Name), t)) return null;
        }
        return named;
    }

    /// <summary>Compares keys and shapes with a freshly built 1000-class network.</summary>
    private static ArchitectureMatch? Compare(
        ArchitectureInfo architecture, KeyMap keyMap, Dictionary<string, SafetensorsTensorInfo> named, string head)
    {
        var own = StateShapes(architecture);
        bool InHead(string key) => key.StartsWith(head, StringComparison.Ordinal);

        var ownBackbone = own.Where(kv => !InHead(kv.Key)).ToList();
        if (named.Keys.Count(k => !InHead(k)) != ownBackbone.Count) return null;
        foreach (var (key, shape) in ownBackbone)
            if (!named.TryGetValue(key, out var info) || !info.Shape.SequenceEqual(shape)) return null;

        var fileHead = named.Where(kv => InHead(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Value with { Name = kv.Key }).ToList();
        var ownHead = own.Where(kv => InHead(kv.Key)).ToDictionary(StringComparer.Ordinal);
        bool sameKeys = fileHead.Count == ownHead.Count && fileHead.All(t => ownHead.ContainsKey(t.Name));
        HeadFit fit = fileHead.Count == 0 ? HeadFit.Missing
            : sameKeys && fileHead.All(t => t.Shape.SequenceEqual(ownHead[t.Name])) ? HeadFit.Exact
            : HeadFit.Replaced;
        int? outputs = fit == HeadFit.Missing || !sameKeys ? null : Outputs(fileHead, ownHead);
        return new ArchitectureMatch(architecture, keyMap, fit, fileHead, outputs);
    }

    /// <summary>The shapes of the architecture's 1000-class state dict by key, built once per architecture.</summary>
    private static Dictionary<string, int[]> StateShapes(ArchitectureInfo architecture) =>
        ShapesByArchitecture.GetOrAdd(architecture.Name, _ =>
        {
            using var network = architecture.CreateImageNet();
            return network.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Shape.ToArray(), StringComparer.Ordinal);
        });

    /// <summary>
    /// The file head's output count when it has ImageNet's layout and differs at most in the output dimension: the
    /// tensors whose first dimension is 1000 in the architecture (the final Linear's weight and bias) share one first
    /// dimension in the file, and every other dimension is equal. Null otherwise.
    /// </summary>
    private static int? Outputs(List<SafetensorsTensorInfo> fileHead, Dictionary<string, int[]> ownHead)
    {
        const int ImageNetClasses = 1000;
        int? outputs = null;
        foreach (var t in fileHead)
        {
            int[] expected = ownHead[t.Name];
            if (t.Shape.Length != expected.Length) return null;
            bool isOutput = expected.Length > 0 && expected[0] == ImageNetClasses;
            for (int d = isOutput ? 1 : 0; d < expected.Length; d++)
                if (t.Shape[d] != expected[d]) return null;
            if (!isOutput) continue;
            if (outputs is { } n && n != t.Shape[0]) return null;
            outputs = t.Shape[0];
        }
        return outputs;
    }
}

namespace TransferKit.Weights;

/// <summary>
/// Finds the state_dict in what a checkpoint's pickle built. The rule, in order:
/// <list type="number">
/// <item>a root dict whose values are all tensors (string keys) is the state_dict (<c>torch.save(model.state_dict(), f)</c>);</item>
/// <item>otherwise the root's entries whose values are non-empty dicts of tensors are candidates (training checkpoints
/// such as <c>{"epoch": 3, "state_dict": {...}, "optimizer": {...}}</c>): a single candidate is taken; among several,
/// the one named <c>state_dict</c>, else <c>model</c>; otherwise the file is refused, naming the candidates.</item>
/// </list>
/// Only one level of nesting is searched. Keys are kept as written; no prefix (such as DataParallel's <c>module.</c>) is stripped.
/// </summary>
internal static class StateDictSelector
{
    private static readonly string[] PreferredKeys = ["state_dict", "model"];

    /// <summary>The state_dict's tensors by key, and the root key it was found under (null for the root itself).</summary>
    /// <exception cref="PyTorchCheckpointException">No dict of tensors, or several with no preferred name.</exception>
    public static (List<KeyValuePair<string, TorchTensor>> Tensors, string? Key) Select(string path, object? root)
    {
        if (root is not PickleDict dict)
            throw new PyTorchCheckpointException(path, $"the checkpoint holds a {Describe(root)}, not a dict of tensors (a state_dict).");
        if (AsTensors(dict) is { } direct) return (direct, null);

        var candidates = new List<(string Key, List<KeyValuePair<string, TorchTensor>> Tensors)>();
        foreach (var (key, value) in dict.Entries)
        {
            if (key is string name && value is PickleDict { Count: > 0 } inner && AsTensors(inner) is { } tensors)
                candidates.Add((name, tensors));
        }
        if (candidates.Count == 1) return (candidates[0].Tensors, candidates[0].Key);
        foreach (string preferred in PreferredKeys)
        {
            foreach (var candidate in candidates)
                if (candidate.Key == preferred) return (candidate.Tensors, candidate.Key);
        }
        string keys = string.Join(", ", dict.Entries.Take(10).Select(kv => $"'{kv.Key}'"));
        throw new PyTorchCheckpointException(path, candidates.Count == 0
            ? $"no state_dict found: the root dict ({keys}) neither holds only tensors nor has an entry that is a dict of tensors."
            : $"several entries are dicts of tensors ({string.Join(", ", candidates.Select(c => $"'{c.Key}'"))}) and none is named "
              + $"'{PreferredKeys[0]}' or '{PreferredKeys[1]}'; save the one you want on its own with torch.save(checkpoint['<key>'], path).");
    }

    private static List<KeyValuePair<string, TorchTensor>>? AsTensors(PickleDict dict)
    {
        var tensors = new List<KeyValuePair<string, TorchTensor>>(dict.Count);
        foreach (var (key, value) in dict.Entries)
        {
            if (key is not string name || value is not TorchTensor tensor) return null;
            tensors.Add(new(name, tensor));
        }
        return tensors;
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        TorchTensor => "single tensor",
        PickleTuple => "tuple",
        List<object?> => "list",
        _ => value.GetType().Name.ToLowerInvariant(),
    };
}

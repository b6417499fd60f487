using TransferKit.Tensors;

namespace TransferKit.Weights;

/// <summary>
/// The matching of a file's tensors with a model's state, worked out before anything is copied, so a load either
/// copies every matched tensor or fails with the full list of problems.
/// </summary>
internal sealed class WeightsLoadPlan
{
    private const string BatchCounter = "num_batches_tracked";

    /// <summary>One tensor to copy: the model key, the file key, the destination, the stored type.</summary>
    public readonly record struct Match(string Key, string SourceKey, Tensor Destination, SafetensorsDType DType);

    public List<Match> Matches { get; } = [];
    public List<string> Missing { get; } = [];
    public List<string> Unexpected { get; } = [];
    public List<string> Ignored { get; } = [];
    public List<string> SkippedHead { get; } = [];
    public List<WeightsShapeMismatch> ShapeMismatches { get; } = [];
    public string? HeadSkipReason { get; private set; }

    /// <summary>Matches <paramref name="fileTensors"/> (renamed by <paramref name="keyMap"/>) with the model state <paramref name="own"/>.</summary>
    public static WeightsLoadPlan Create(
        IReadOnlyList<SafetensorsTensorInfo> fileTensors, IReadOnlyDictionary<string, Tensor> own, KeyMap keyMap,
        HeadLoading head, string? headPrefix)
    {
        var plan = new WeightsLoadPlan();
        var mapped = plan.Rename(fileTensors, keyMap);
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        if (head != HeadLoading.Load)
            plan.DecideHead(mapped, own, head, headPrefix!, skipped);

        foreach (var (key, destination) in own)
        {
            if (skipped.Contains(key)) continue;
            if (!mapped.TryGetValue(key, out var info))
            {
                plan.Missing.Add(key);
                continue;
            }
            if (destination.Shape.SequenceEqual(info.Shape))
                plan.Matches.Add(new Match(key, info.Name, destination, info.DType));
            else
                plan.ShapeMismatches.Add(new WeightsShapeMismatch(key, info.Name, destination.Shape.ToArray(), info.Shape));
        }
        foreach (var key in mapped.Keys)
            if (!own.ContainsKey(key) && !skipped.Contains(key)) plan.Unexpected.Add(key);
        return plan;
    }

    /// <summary>Renames every file key, setting aside batch counters and collisions; returns the rest by new name, in file order.</summary>
    private Dictionary<string, SafetensorsTensorInfo> Rename(IReadOnlyList<SafetensorsTensorInfo> fileTensors, KeyMap keyMap)
    {
        var mapped = new Dictionary<string, SafetensorsTensorInfo>(fileTensors.Count, StringComparer.Ordinal);
        foreach (var info in fileTensors)
        {
            // PyTorch's BatchNorm counts batches for momentum=None only; TransferKit's BatchNorm has no such buffer.
            if (info.Name == BatchCounter || info.Name.EndsWith("." + BatchCounter, StringComparison.Ordinal))
            {
                Ignored.Add(info.Name);
                continue;
            }
            string key = keyMap.Map(info.Name);
            if (!mapped.TryAdd(key, info))
                Unexpected.Add($"{info.Name} (renamed to '{key}', which '{mapped[key].Name}' already has)");
        }
        return mapped;
    }

    private void DecideHead(
        Dictionary<string, SafetensorsTensorInfo> mapped, IReadOnlyDictionary<string, Tensor> own, HeadLoading head,
        string headPrefix, HashSet<string> skipped)
    {
        var fileHead = mapped.Keys.Where(k => k.StartsWith(headPrefix, StringComparison.Ordinal)).ToList();
        var modelHead = own.Keys.Where(k => k.StartsWith(headPrefix, StringComparison.Ordinal)).ToList();
        string? reason;
        if (head == HeadLoading.Skip)
        {
            reason = $"WeightsLoadOptions.Head is {nameof(HeadLoading.Skip)}";
        }
        else
        {
            var differences = new List<string>();
            foreach (var key in modelHead)
            {
                if (!mapped.TryGetValue(key, out var info))
                    differences.Add($"{key}: not in the file");
                else if (!own[key].Shape.SequenceEqual(info.Shape))
                    differences.Add(new WeightsShapeMismatch(key, info.Name, own[key].Shape.ToArray(), info.Shape).ToString());
            }
            foreach (var key in fileHead)
                if (!own.ContainsKey(key)) differences.Add($"{key}: not in the model");
            reason = differences.Count == 0 ? null : $"the head '{headPrefix}' differs: {string.Join("; ", differences)}";
        }
        if (reason is null) return;
        HeadSkipReason = reason;
        SkippedHead.AddRange(fileHead);
        skipped.UnionWith(fileHead);
        skipped.UnionWith(modelHead);
    }
}

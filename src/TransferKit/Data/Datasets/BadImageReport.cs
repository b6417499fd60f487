using System.Collections.Concurrent;
using System.Text;
using TransferKit.Data.Decoding;

namespace TransferKit.Data.Datasets;

/// <summary>
/// The samples left out under <see cref="BadImagePolicy.SkipAndReport"/>, each listed once however many epochs met it.
/// Thread-safe: loader workers add to it while the caller reads it.
/// </summary>
public sealed class BadImageReport
{
    private readonly ConcurrentDictionary<int, BadImage> _items = new();

    /// <summary>Number of bad samples found so far.</summary>
    public int Count => _items.Count;

    /// <summary>The bad samples found so far, ordered by index (a snapshot).</summary>
    public IReadOnlyList<BadImage> Items => [.. _items.Values.OrderBy(b => b.Index)];

    /// <summary>Whether sample <paramref name="index"/> is known to be bad.</summary>
    public bool Contains(int index) => _items.ContainsKey(index);

    /// <summary>How many bad samples there are of each failure kind (kinds with none are left out).</summary>
    public IReadOnlyDictionary<ImageDecodeFailure, int> CountByFailure() =>
        _items.Values.GroupBy(b => b.Failure).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Records <paramref name="image"/>; returns false when its index was already reported.</summary>
    internal bool Add(BadImage image) => _items.TryAdd(image.Index, image);

    /// <summary>A summary line, then one line per bad sample.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Count).Append(" bad image(s) skipped");
        if (Count > 0)
        {
            text.Append(" (").AppendJoin(", ", CountByFailure().Select(kv => $"{kv.Key}: {kv.Value}")).Append(')');
            foreach (BadImage item in Items)
            {
                text.AppendLine().Append("  ").Append(item);
            }
        }

        return text.ToString();
    }
}

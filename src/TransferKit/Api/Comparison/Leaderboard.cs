using System.Collections;
using System.Globalization;
using System.Text;

namespace TransferKit.Api;

/// <summary>The candidates of a <see cref="ModelComparison"/>, best validation accuracy first (ties keep the order they were added).</summary>
public sealed class Leaderboard : IReadOnlyList<LeaderboardEntry>
{
    private readonly LeaderboardEntry[] _entries;

    /// <summary>Sorts <paramref name="entries"/> by accuracy, highest first (stable).</summary>
    public Leaderboard(IEnumerable<LeaderboardEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = [.. entries.OrderByDescending(e => e.ValidationAccuracy)];
    }

    /// <inheritdoc />
    public LeaderboardEntry this[int index] => _entries[index];

    /// <inheritdoc />
    public int Count => _entries.Length;

    /// <summary>The most accurate candidate.</summary>
    /// <exception cref="InvalidOperationException">The leaderboard is empty.</exception>
    public LeaderboardEntry Best => _entries.Length > 0 ? _entries[0] : throw new InvalidOperationException("The leaderboard is empty.");

    /// <inheritdoc />
    public IEnumerator<LeaderboardEntry> GetEnumerator() => ((IEnumerable<LeaderboardEntry>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A fixed-width text table, one row per candidate (invariant culture).</summary>
    public override string ToString()
    {
        string[] header = ["#", "model", "val acc", "train s", "trainable", "total params", "file KiB", "ms/image"];
        var rows = _entries.Select((e, i) => new[]
        {
            (i + 1).ToString(CultureInfo.InvariantCulture),
            e.Name,
            e.ValidationAccuracy.ToString("P1", CultureInfo.InvariantCulture),
            e.TrainTime.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture),
            e.TrainableParameters.ToString("N0", CultureInfo.InvariantCulture),
            e.TotalParameters.ToString("N0", CultureInfo.InvariantCulture),
            (e.ModelFileBytes / 1024.0).ToString("F1", CultureInfo.InvariantCulture),
            e.InferenceMillisecondsPerImage.ToString("F3", CultureInfo.InvariantCulture),
        }).ToList();
        int[] widths = [.. header.Select((h, c) => rows.Select(r => r[c].Length).Append(h.Length).Max())];
        var text = new StringBuilder();
        void Line(string[] cells)
        {
            for (int c = 0; c < cells.Length; c++)
            {
                if (c > 0) text.Append("  ");
                // Names read left-aligned, numbers right-aligned.
                text.Append(c == 1 ? cells[c].PadRight(widths[c]) : cells[c].PadLeft(widths[c]));
            }
            text.AppendLine();
        }
        Line(header);
        Line([.. widths.Select(w => new string('-', w))]);
        foreach (var row in rows) Line(row);
        return text.ToString();
    }
}

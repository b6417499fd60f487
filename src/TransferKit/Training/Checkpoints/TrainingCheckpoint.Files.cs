using System.Globalization;

namespace TransferKit.Training.Checkpoints;

public sealed partial class TrainingCheckpoint
{
    private const string FilePrefix = "checkpoint-epoch";
    private const string FileSuffix = ".safetensors";
    private const string FilePattern = FilePrefix + "*" + FileSuffix;

    /// <summary>The file name of the checkpoint after <paramref name="epochsCompleted"/> epochs (at least four digits; more past 9999).</summary>
    public static string FileName(int epochsCompleted) => string.Create(CultureInfo.InvariantCulture, $"{FilePrefix}{epochsCompleted:D4}{FileSuffix}");

    /// <summary>
    /// The newest checkpoint in <paramref name="directory"/> that reads and verifies (see <see cref="FindLatest"/>), or null
    /// when there is none. Newer files that fail verification are passed over; call <see cref="FindLatest"/> to see them.
    /// </summary>
    public static string? Latest(string directory) => FindLatest(directory).Path;

    /// <summary>
    /// Verifies the checkpoints in <paramref name="directory"/> from the newest down (checksums, format, finite weights) and
    /// returns the first that passes, with every newer one that did not and why. Reads each file tried in full.
    /// </summary>
    public static LatestCheckpoint FindLatest(string directory)
    {
        var skipped = new List<CheckpointException>();
        foreach (string path in All(directory).Reverse())
        {
            try
            {
                using var checkpoint = Read(path);
                return new LatestCheckpoint(path, skipped);
            }
            catch (CheckpointException e)
            {
                skipped.Add(e);
            }
        }
        return new LatestCheckpoint(null, skipped);
    }

    /// <summary>
    /// The checkpoint files in <paramref name="directory"/>, oldest first by the epoch number in their names (any number of
    /// digits), none when it does not exist. Files are listed, not verified.
    /// </summary>
    public static IReadOnlyList<string> All(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory)) return [];
        var files = new List<(string Path, string Epoch)>();
        foreach (string path in Directory.GetFiles(directory, FilePattern))
            if (EpochDigits(Path.GetFileName(path)) is { } epoch) files.Add((path, epoch));
        // Compare the numbers as digit strings without leading zeros: shorter is smaller, then text order. No digit limit.
        return [.. files.OrderBy(f => f.Epoch.Length).ThenBy(f => f.Epoch, StringComparer.Ordinal).Select(f => f.Path)];
    }

    /// <summary>Deletes all but the <paramref name="keep"/> newest checkpoints (by epoch number) in <paramref name="directory"/>.</summary>
    public static void Prune(string directory, int keep)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        var files = All(directory);
        for (int i = 0; i < files.Count - keep; i++) File.Delete(files[i]);
    }

    /// <summary>
    /// Deletes the checkpoint files in <paramref name="directory"/> (only files named as <see cref="FileName"/> names them).
    /// A run that starts afresh calls it: an earlier run's later epochs would otherwise outrank its own checkpoints, be
    /// kept while its own are pruned, and be what a resume picks up.
    /// </summary>
    public static void DeleteAll(string directory)
    {
        foreach (string file in All(directory)) File.Delete(file);
    }

    /// <summary>The epoch digits of a checkpoint file name without leading zeros ("0" for zero), or null when it is not one.</summary>
    private static string? EpochDigits(string fileName)
    {
        if (!fileName.StartsWith(FilePrefix, StringComparison.Ordinal) || !fileName.EndsWith(FileSuffix, StringComparison.Ordinal)) return null;
        var digits = fileName.AsSpan(FilePrefix.Length, fileName.Length - FilePrefix.Length - FileSuffix.Length);
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9')) return null;
        var trimmed = digits.TrimStart('0');
        return trimmed.IsEmpty ? "0" : trimmed.ToString();
    }
}

namespace TransferKit.Data.Datasets;

/// <summary>File and folder enumeration shared by the file-backed layouts: hidden entries skipped, ordinal order.</summary>
internal static class DatasetFiles
{
    /// <summary>Non-hidden files of <paramref name="directory"/>, sorted by ordinal full path.</summary>
    public static string[] Files(string directory, bool recursive, IReadOnlyCollection<string>? extensions = null)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = recursive,
            IgnoreInaccessible = true,
            // .NET's default: dot-names on Unix and Hidden/System entries on Windows are skipped, and hidden folders
            // (.git, .ipynb_checkpoints) are not entered.
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
            ReturnSpecialDirectories = false,
        };
        HashSet<string>? allowed = extensions is null
            ? null
            : new HashSet<string>(extensions.Select(e => e.StartsWith('.') ? e : "." + e), StringComparer.OrdinalIgnoreCase);
        var files = Directory.EnumerateFiles(directory, "*", options)
            .Where(f => !IsHiddenName(Path.GetFileName(f)))
            .Where(f => allowed is null || allowed.Contains(Path.GetExtension(f)))
            .ToArray();
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>Names of the non-hidden immediate subfolders, sorted ordinal.</summary>
    public static string[] Subfolders(string directory)
    {
        var names = new DirectoryInfo(directory)
            .EnumerateDirectories("*", new EnumerationOptions { AttributesToSkip = FileAttributes.Hidden | FileAttributes.System })
            .Select(d => d.Name)
            .Where(n => !IsHiddenName(n))
            .ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }

    /// <summary>Throws <see cref="DatasetException"/> when <paramref name="directory"/> does not exist.</summary>
    public static void RequireDirectory(string directory, string what)
    {
        if (!Directory.Exists(directory))
        {
            throw new DatasetException(directory, File.Exists(directory) ? $"{what} is a file, not a folder" : $"{what} does not exist");
        }
    }

    /// <summary>Lists up to ten items and says how many more there are.</summary>
    public static string Sample(IReadOnlyList<string> items)
    {
        const int Shown = 10;
        string list = string.Join(", ", items.Take(Shown));
        return items.Count > Shown ? $"{list}, ... ({items.Count - Shown} more)" : list;
    }

    private static bool IsHiddenName(string name) => name.StartsWith('.');
}

namespace TransferKit.Reporting;

/// <summary>
/// Shortens image source names for captions: each relative to the folder every image of the run shares, so a
/// folder-per-class dataset reads "Cat/96.jpg" rather than "96.jpg" or a long absolute path.
/// </summary>
internal static class SourcePaths
{
    private static readonly char[] Separators = ['/', '\\'];

    /// <summary>The deepest folder that contains every one of <paramref name="sources"/>, or null when they share none.</summary>
    public static string? CommonFolder(IEnumerable<string> sources)
    {
        string? common = null;
        foreach (string source in sources)
        {
            if (common is null)
            {
                int cut = source.LastIndexOfAny(Separators);
                if (cut <= 0) return null;
                common = source[..cut];
                continue;
            }

            while (!IsUnder(source, common))
            {
                int cut = common.LastIndexOfAny(Separators);
                if (cut <= 0) return null;
                common = common[..cut];
            }
        }

        return common;
    }

    /// <summary><paramref name="source"/> relative to <paramref name="root"/> when it lies under it; otherwise its file name.</summary>
    public static string Relative(string source, string? root)
    {
        if (root is not null && IsUnder(source, root)) return source[(root.Length + 1)..];
        int cut = source.LastIndexOfAny(Separators);
        return cut >= 0 && cut < source.Length - 1 ? source[(cut + 1)..] : source;
    }

    private static bool IsUnder(string source, string folder) =>
        source.Length > folder.Length + 1 && source.StartsWith(folder, StringComparison.Ordinal) && Separators.Contains(source[folder.Length]);
}

namespace TransferKit.Data.Datasets;

/// <summary>
/// File and folder enumeration shared by the file-backed layouts: hidden entries skipped, ordinal order, directory
/// symbolic links followed with cycle detection (see <see cref="Files(string, bool, IReadOnlyCollection{string}?)"/>).
/// </summary>
internal static class DatasetFiles
{
    /// <summary>Entries of one folder (the test seam: a lister that throws stands in for a folder root can still read).</summary>
    internal delegate IEnumerable<FileSystemInfo> FolderLister(string directory);

    private static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        // .NET's default: Hidden/System entries on Windows are skipped (dot-names are filtered by IsHiddenName).
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        ReturnSpecialDirectories = false,
    };

    private static readonly StringComparer PathComparer =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>
    /// Non-hidden files of <paramref name="directory"/>, sorted by ordinal full path. When recursing, hidden folders
    /// (.git) are not entered, and a subfolder (a symbolic link or not) is read only if its real path, with every link
    /// resolved, has not been read before in this call and is not <paramref name="directory"/> or a folder above it: a
    /// link back to an ancestor, or a second link to one folder, adds nothing, so loops end and no file is listed twice.
    /// </summary>
    /// <exception cref="DatasetException">A folder to be read cannot be read (permissions, I/O error).</exception>
    public static string[] Files(string directory, bool recursive, IReadOnlyCollection<string>? extensions = null) =>
        Files(directory, recursive, extensions, static d => new DirectoryInfo(d).EnumerateFileSystemInfos("*", OneLevel));

    /// <inheritdoc cref="Files(string, bool, IReadOnlyCollection{string}?)"/>
    internal static string[] Files(string directory, bool recursive, IReadOnlyCollection<string>? extensions, FolderLister list)
    {
        HashSet<string>? allowed = extensions is null
            ? null
            : new HashSet<string>(extensions.Select(e => e.StartsWith('.') ? e : "." + e), StringComparer.OrdinalIgnoreCase);
        var files = new List<string>();
        var seen = new HashSet<string>(PathComparer);
        var pending = new Stack<(string Path, string Real)>();
        string rootReal = RealPath(directory) ?? directory;
        // A link to a folder above the start leads back to the start: counting the ancestors as read makes it a loop
        // that is not entered, instead of a way to pull sibling folders (other classes) in.
        for (string? above = rootReal; above is not null; above = Path.GetDirectoryName(above)) seen.Add(above);
        pending.Push((directory, rootReal));
        while (pending.Count > 0)
        {
            var (folder, real) = pending.Pop();
            foreach (var entry in ReadFolder(folder, d => list(d)))
            {
                if (IsHiddenName(entry.Name)) continue;
                if (entry is not DirectoryInfo)
                {
                    if (allowed is null || allowed.Contains(Path.GetExtension(entry.Name))) files.Add(entry.FullName);
                    continue;
                }

                if (!recursive) continue;
                // A plain subfolder's real path follows from its parent's; only a link needs resolving.
                string? childReal = entry.LinkTarget is null ? Path.Combine(real, entry.Name) : RealPath(entry.FullName);
                if (childReal is not null && seen.Add(childReal)) pending.Push((entry.FullName, childReal));
            }
        }

        var sorted = files.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }

    /// <summary>Names of the non-hidden immediate subfolders (directory links included), sorted ordinal.</summary>
    /// <exception cref="DatasetException">The folder cannot be read.</exception>
    public static string[] Subfolders(string directory)
    {
        var names = ReadFolder(directory, static d => new DirectoryInfo(d).EnumerateDirectories("*", OneLevel))
            .Select(d => d.Name)
            .Where(n => !IsHiddenName(n))
            .ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }

    /// <summary>
    /// Throws <see cref="DatasetException"/> when <paramref name="directory"/> is not a readable folder's path: missing, a
    /// file, or a symbolic link that is broken, loops, or points at a file.
    /// </summary>
    public static void RequireDirectory(string directory, string what)
    {
        if (Directory.Exists(directory)) return;
        var info = new FileInfo(directory);
        string? target = info.LinkTarget;
        if (target is null)
        {
            throw new DatasetException(directory, info.Exists ? $"{what} is a file, not a folder" : $"{what} does not exist");
        }

        string reason;
        try
        {
            var final = info.ResolveLinkTarget(returnFinalTarget: true);
            reason = final is { Exists: true }
                ? $"{what} is a symbolic link to a file ('{target}'), not a folder"
                : $"{what} is a symbolic link to '{target}', which does not exist";
        }
        catch (IOException)
        {
            // The operating system gives up on a chain of links that comes back to itself (ELOOP).
            reason = $"{what} is a symbolic link that loops back on itself ('{target}')";
        }

        throw new DatasetException(directory, reason);
    }

    /// <summary>Lists up to ten items and says how many more there are.</summary>
    public static string Sample(IReadOnlyList<string> items)
    {
        const int Shown = 10;
        string list = string.Join(", ", items.Take(Shown));
        return items.Count > Shown ? $"{list}, ... ({items.Count - Shown} more)" : list;
    }

    /// <summary>
    /// The path with every symbolic link resolved (POSIX realpath, in managed code), or null when the links loop or
    /// chain more than 40 times (Linux's limit). A missing component ends resolution: the rest is appended as written.
    /// </summary>
    internal static string? RealPath(string path)
    {
        const int MaxLinks = 40;
        string full = Path.GetFullPath(path);
        string current = Path.GetPathRoot(full)!;
        var parts = new Stack<string>();
        PushParts(parts, full[current.Length..]);
        int links = 0;
        while (parts.Count > 0)
        {
            string part = parts.Pop();
            if (part is "" or ".") continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            string next = Path.Combine(current, part);
            string? target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks) return null;
            if (Path.IsPathRooted(target))
            {
                string absolute = Path.GetFullPath(target);
                current = Path.GetPathRoot(absolute)!;
                target = absolute[current.Length..];
            }

            PushParts(parts, target);
        }

        return current;
    }

    private static void PushParts(Stack<string> parts, string relative)
    {
        string[] split = relative.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]);
        for (int i = split.Length - 1; i >= 0; i--) parts.Push(split[i]);
    }

    /// <summary>The entries of one folder, read in full so that a permission or I/O error surfaces here.</summary>
    private static T[] ReadFolder<T>(string folder, Func<string, IEnumerable<T>> list)
    {
        try
        {
            return list(folder).ToArray();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new DatasetException(folder, $"cannot be read ({e.Message})", e);
        }
    }

    private static bool IsHiddenName(string name) => name.StartsWith('.');
}

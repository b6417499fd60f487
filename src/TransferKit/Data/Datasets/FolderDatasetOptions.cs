namespace TransferKit.Data.Datasets;

/// <summary>
/// How <see cref="ImageFileDataset.FromClassFolders"/> reads a folder-per-class tree. The defaults follow torchvision's
/// ImageFolder: every non-hidden subfolder is a class, classes sorted by ordinal name, files found recursively.
/// </summary>
public sealed record FolderDatasetOptions
{
    /// <summary>The options used when a caller passes none.</summary>
    public static FolderDatasetOptions Default { get; } = new();

    /// <summary>
    /// The classes, in label order, each the name of a subfolder of the root (matched exactly); other subfolders are
    /// ignored. Null (default): every non-hidden subfolder, sorted ordinal (so "Cat" &lt; "Dog" &lt; "cat"). Each must be a
    /// plain folder name: not "." or "..", no directory separator, not rooted, so no class reads outside the root.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>
    /// File extensions to include, with or without the dot, matched case-insensitively; null (default) includes every
    /// non-hidden file. The default is deliberate: decoders sniff content, so a stray non-image (Thumbs.db) is reported as
    /// a bad image instead of vanishing silently, and a PNG named .jpg still loads. "Hidden" is the operating system's
    /// notion: names starting with a dot everywhere, and the Hidden or System attribute on Windows (where Thumbs.db
    /// usually carries both and is therefore skipped, while on Linux it is listed and reported).
    /// </summary>
    public IReadOnlyCollection<string>? Extensions { get; init; }

    /// <summary>Whether files in nested subfolders of a class folder belong to it (default true, as ImageFolder).</summary>
    public bool Recursive { get; init; } = true;

    /// <summary>
    /// Whether a class folder with no files is allowed (default false: it throws, as ImageFolder does, because an empty
    /// class usually means a wrong root).
    /// </summary>
    public bool AllowEmptyClasses { get; init; }

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException"><see cref="ClassNames"/> is empty, has empty or repeated names, or a name that
    /// is not a plain folder name (such as "..", "../x" or an absolute path); or an extension is empty. The parameter
    /// name is the option's.</exception>
    public void Validate()
    {
        if (ClassNames is not null)
        {
            if (ClassNames.Count == 0)
            {
                throw new ArgumentException("ClassNames must list at least one class when set.", nameof(ClassNames));
            }

            DatasetChecks.ClassNames(ClassNames, nameof(ClassNames));
            foreach (string name in ClassNames)
            {
                if (!IsPlainFolderName(name))
                {
                    throw new ArgumentException(
                        $"ClassNames entry '{name}' is not a plain folder name (it must not be '.' or '..', contain a directory separator or be rooted): each class is a subfolder of the root.",
                        nameof(ClassNames));
                }
            }
        }

        if (Extensions is not null && Extensions.Any(e => string.IsNullOrWhiteSpace(e) || e == "."))
        {
            throw new ArgumentException("Extensions must not contain empty entries.", nameof(Extensions));
        }
    }

    private static bool IsPlainFolderName(string name) =>
        name is not ("." or "..") && !Path.IsPathRooted(name) && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0
        && name.IndexOfAny([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]) < 0;
}

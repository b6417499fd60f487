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
    /// ignored. Null (default): every non-hidden subfolder, sorted ordinal (so "Cat" &lt; "Dog" &lt; "cat").
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
    /// <exception cref="ArgumentException"><see cref="ClassNames"/> is empty or has empty or repeated names, or an
    /// extension is empty.</exception>
    public void Validate()
    {
        if (ClassNames is not null)
        {
            if (ClassNames.Count == 0)
            {
                throw new ArgumentException("ClassNames must list at least one class when set.", nameof(ClassNames));
            }

            DatasetChecks.ClassNames(ClassNames, nameof(ClassNames));
        }

        if (Extensions is not null && Extensions.Any(e => string.IsNullOrWhiteSpace(e) || e == "."))
        {
            throw new ArgumentException("Extensions must not contain empty entries.", nameof(Extensions));
        }
    }
}

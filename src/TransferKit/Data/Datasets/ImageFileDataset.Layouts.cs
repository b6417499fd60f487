namespace TransferKit.Data.Datasets;

public sealed partial class ImageFileDataset
{
    /// <summary>
    /// Reads a folder-per-class tree (torchvision ImageFolder; Microsoft PetImages with Cat/ and Dog/): each class folder's
    /// files get that class's label. Samples are ordered by class, then by ordinal path.
    /// <para>Symbolic links are followed, as ImageFolder does, but never into a loop: within a class folder, a subfolder
    /// is read only if its real path (every link resolved) has not been read before and is not the class folder or a
    /// folder above it, so a link back to an ancestor (even the dataset root) or a second link to the same folder adds
    /// nothing, and the scan always ends. File links are listed like files.</para>
    /// </summary>
    /// <param name="root">The folder that holds one subfolder per class.</param>
    /// <param name="options">Class list, extension filter, recursion; <see cref="FolderDatasetOptions.Default"/> when null.</param>
    /// <returns>A labelled dataset whose <see cref="ClassNames"/> are the folder names.</returns>
    /// <exception cref="DatasetException">The root or a listed class folder is missing, a file, or a broken or looping
    /// link; a folder to read cannot be read; there are no class folders; or a class folder is empty (unless
    /// <see cref="FolderDatasetOptions.AllowEmptyClasses"/>).</exception>
    /// <exception cref="ArgumentException">An option is invalid, such as a class name that is not a plain folder name.</exception>
    public static ImageFileDataset FromClassFolders(string root, FolderDatasetOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        options ??= FolderDatasetOptions.Default;
        options.Validate();
        root = Path.GetFullPath(root);
        DatasetFiles.RequireDirectory(root, "dataset root");

        string[] classes = options.ClassNames?.ToArray() ?? DatasetFiles.Subfolders(root);
        if (classes.Length == 0)
        {
            throw new DatasetException(root, "has no class subfolders (expected one folder per class, such as Cat/ and Dog/)");
        }

        var paths = new List<string>();
        var labels = new List<int>();
        for (int label = 0; label < classes.Length; label++)
        {
            string folder = Path.Combine(root, classes[label]);
            DatasetFiles.RequireDirectory(folder, $"class folder '{classes[label]}'");
            string[] files = DatasetFiles.Files(folder, options.Recursive, options.Extensions);
            if (files.Length == 0 && !options.AllowEmptyClasses)
            {
                throw new DatasetException(folder, $"class folder '{classes[label]}' holds no files");
            }

            paths.AddRange(files);
            labels.AddRange(Enumerable.Repeat(label, files.Length));
        }

        return new ImageFileDataset(paths, labels, classes);
    }

    /// <summary>
    /// Reads a flat folder whose file names start with their class (Kaggle Dogs vs Cats train/: cat.123.jpg,
    /// dog.456.jpg). The class is the part before the first dot, compared case-insensitively. Samples are ordered by
    /// ordinal path. Subfolders are not read.
    /// </summary>
    /// <param name="directory">The folder of files.</param>
    /// <param name="classNames">The classes in label order (for Kaggle: "cat", "dog"); null: every prefix found, in lower
    /// case, sorted ordinal.</param>
    /// <returns>A labelled dataset.</returns>
    /// <exception cref="DatasetException">The folder is missing or empty, or some file names have no class prefix or a
    /// prefix outside <paramref name="classNames"/> (all such names are listed).</exception>
    /// <exception cref="ArgumentException"><paramref name="classNames"/> is empty or has repeated names (ignoring case).</exception>
    public static ImageFileDataset FromFileNamePrefixes(string directory, IReadOnlyList<string>? classNames = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (classNames is not null)
        {
            DatasetChecks.ClassNames(classNames, nameof(classNames));
            if (classNames.Count == 0 || classNames.Distinct(StringComparer.OrdinalIgnoreCase).Count() != classNames.Count)
            {
                throw new ArgumentException("Class names must be non-empty and distinct ignoring case.", nameof(classNames));
            }
        }

        directory = Path.GetFullPath(directory);
        DatasetFiles.RequireDirectory(directory, "image folder");
        string[] files = DatasetFiles.Files(directory, recursive: false);
        if (files.Length == 0)
        {
            throw new DatasetException(directory, "holds no files");
        }

        var prefixes = new string?[files.Length];
        var unprefixed = new List<string>();
        for (int i = 0; i < files.Length; i++)
        {
            string name = Path.GetFileName(files[i]);
            int dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0)
            {
                unprefixed.Add(name);
                continue;
            }

            prefixes[i] = name[..dot];
        }

        if (unprefixed.Count > 0)
        {
            throw new DatasetException(directory,
                $"{unprefixed.Count} file names have no class prefix before a dot (expected <class>.<id>.<extension>): {DatasetFiles.Sample(unprefixed)}");
        }

        string[] classes = classNames?.ToArray()
            ?? prefixes.Select(p => p!.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var lookup = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int k = 0; k < classes.Length; k++)
        {
            lookup[classes[k]] = k;
        }

        var labels = new int[files.Length];
        var unknown = new List<string>();
        for (int i = 0; i < files.Length; i++)
        {
            if (lookup.TryGetValue(prefixes[i]!, out int label))
            {
                labels[i] = label;
            }
            else
            {
                unknown.Add(Path.GetFileName(files[i]));
            }
        }

        if (unknown.Count > 0)
        {
            throw new DatasetException(directory,
                $"{unknown.Count} file names start with no known class ({string.Join(", ", classes)}): {DatasetFiles.Sample(unknown)}");
        }

        return new ImageFileDataset(files, labels, classes);
    }

    /// <summary>Reads every non-hidden file of a folder as an unlabelled sample (Kaggle Dogs vs Cats test1/), ordered by ordinal path.</summary>
    /// <param name="directory">The folder of images.</param>
    /// <param name="recursive">Whether to include files in subfolders (default false).</param>
    /// <returns>An unlabelled dataset.</returns>
    /// <exception cref="DatasetException">The folder is missing or holds no files.</exception>
    public static ImageFileDataset FromUnlabeledFolder(string directory, bool recursive = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        directory = Path.GetFullPath(directory);
        DatasetFiles.RequireDirectory(directory, "image folder");
        string[] files = DatasetFiles.Files(directory, recursive);
        if (files.Length == 0)
        {
            throw new DatasetException(directory, "holds no files");
        }

        return new ImageFileDataset(files);
    }
}

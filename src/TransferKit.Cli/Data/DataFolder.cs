using TransferKit.Data.Datasets;

namespace TransferKit.Cli.Data;

/// <summary>
/// Reads a <c>--data</c> folder in whichever common layout it has: one subfolder per class (torchvision's ImageFolder,
/// Microsoft's PetImages), class-prefixed file names in one flat folder (Kaggle's Dogs vs Cats <c>train/</c>:
/// <c>cat.1.jpg</c>), or a Kaggle root holding <c>train/</c> (and <c>test1/</c>, which is not labelled and so not read).
/// </summary>
/// <remarks>
/// The Dogs vs Cats sample recognises the same layouts in its own code; this is the general version (any class names).
/// It belongs in the library (<c>ImageFileDataset.FromFolder</c>) once a second caller needs it.
/// </remarks>
internal static class DataFolder
{
    /// <summary>Subfolders that mark a Kaggle-style root, whose labelled images are under <c>train/</c>.</summary>
    private static readonly HashSet<string> SplitFolders = new(StringComparer.OrdinalIgnoreCase) { "train", "test", "test1", "val", "validation" };

    /// <summary>Loads the labelled images under <paramref name="path"/>.</summary>
    /// <returns>The dataset and a description of the layout found.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="DatasetException">The layout is not recognised, or it holds fewer than two classes.</exception>
    public static (ImageFileDataset Data, string Layout) Load(string path)
    {
        string root = Path.GetFullPath(path);
        if (File.Exists(root)) throw new DatasetException(root, "is a file; --data takes the folder that holds the images.");
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: the data folder does not exist.");

        string[] subfolders = Subfolders(root);
        string layoutRoot = root;
        string prefix = "";
        if (subfolders.Any(s => s.Equals("train", StringComparison.OrdinalIgnoreCase)) && subfolders.All(SplitFolders.Contains))
        {
            layoutRoot = Path.Combine(root, subfolders.First(s => s.Equals("train", StringComparison.OrdinalIgnoreCase)));
            subfolders = Subfolders(layoutRoot);
            prefix = "train/ with ";
        }

        var (data, layout) = subfolders.Length > 0
            ? (ImageFileDataset.FromClassFolders(layoutRoot), "a folder per class")
            : (ImageFileDataset.FromFileNamePrefixes(layoutRoot), "class-prefixed file names such as cat.1.jpg");
        if (data.ClassNames.Count < 2)
            throw new DatasetException(layoutRoot, $"holds one class ('{data.ClassNames.FirstOrDefault()}') in {layout}; a classifier needs at least two.");
        return (data, prefix + layout);
    }

    /// <summary>One line about a dataset: its size and its classes with their counts.</summary>
    public static string Describe(IImageDataset data)
    {
        var counts = data.CountPerClass();
        string classes = string.Join(", ", data.ClassNames.Select((c, i) => $"{counts[i]} {c}"));
        return $"{data.Count} images in {data.ClassNames.Count} classes ({classes})";
    }

    private static string[] Subfolders(string folder) =>
        [.. new DirectoryInfo(folder)
            .EnumerateDirectories("*", new EnumerationOptions { AttributesToSkip = FileAttributes.Hidden | FileAttributes.System })
            .Select(d => d.Name)
            .Where(n => !n.StartsWith('.'))
            .Order(StringComparer.Ordinal)];
}

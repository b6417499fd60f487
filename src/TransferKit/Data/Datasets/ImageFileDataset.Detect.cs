namespace TransferKit.Data.Datasets;

public sealed partial class ImageFileDataset
{
    /// <summary>Names of the subfolders that mark a root of splits, whose labelled images are under <c>train/</c>.</summary>
    private static readonly HashSet<string> SplitFolderNames = new(StringComparer.OrdinalIgnoreCase) { "train", "test", "test1", "val", "valid", "validation" };

    /// <summary>Names of the unlabelled folder that may sit beside a labelled <c>train/</c> folder, in order of preference.</summary>
    private static readonly string[] UnlabeledFolderNames = ["test1", "test"];

    /// <summary>
    /// Reads the labelled images under <paramref name="path"/> in whichever common layout it has; see
    /// <see cref="DetectFolder"/>.
    /// </summary>
    /// <param name="path">The folder of images, or a root that holds <c>train/</c>.</param>
    /// <returns>The labelled dataset.</returns>
    /// <exception cref="DatasetException">The folder is missing or is a file, its layout is not recognised, or it holds
    /// fewer than two classes.</exception>
    public static ImageFileDataset FromFolder(string path) => DetectFolder(path).Dataset;

    /// <summary>
    /// Recognises the layout of a folder of labelled images and reads it:
    /// <list type="bullet">
    /// <item>subfolders: one per class (<see cref="FromClassFolders"/> with default options);</item>
    /// <item>no subfolders: class-prefixed file names (<see cref="FromFileNamePrefixes"/>; classes are the prefixes in
    /// lower case, so Kaggle's train/ gives "cat", "dog");</item>
    /// <item>subfolders that are all split names (train, test, test1, val, valid, validation) including train: the
    /// root of a download, read from its <c>train/</c> subfolder by the two rules above.</item>
    /// </list>
    /// When the labelled folder is named <c>train</c>, a flat <c>test1/</c> or <c>test/</c> folder beside it is reported as
    /// <see cref="DetectedImageFolder.UnlabeledDirectory"/>; a <c>test/</c> with class subfolders is a labelled split, not
    /// reported there.
    /// </summary>
    /// <param name="path">The folder of images, or a root that holds <c>train/</c>.</param>
    /// <returns>The dataset, the layout found and the folders involved.</returns>
    /// <exception cref="DatasetException">The folder is missing or is a file, its layout is not recognised, or it holds
    /// fewer than two classes.</exception>
    public static DetectedImageFolder DetectFolder(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string root = Path.GetFullPath(path);
        // A link that loops or dangles also "exists" as a file; RequireDirectory words those.
        if (File.Exists(root) && new FileInfo(root).LinkTarget is null)
        {
            throw new DatasetException(root, "is a file; give the folder that holds the images");
        }

        DatasetFiles.RequireDirectory(root, "image folder");
        string[] subfolders = DatasetFiles.Subfolders(root);
        string labelled = root;
        bool fromTrain = subfolders.Length > 0 && subfolders.All(SplitFolderNames.Contains)
            && subfolders.Any(s => s.Equals("train", StringComparison.OrdinalIgnoreCase));
        if (fromTrain)
        {
            labelled = Path.Combine(root, subfolders.First(s => s.Equals("train", StringComparison.OrdinalIgnoreCase)));
            subfolders = DatasetFiles.Subfolders(labelled);
        }

        var layout = subfolders.Length > 0 ? ImageFolderLayout.ClassFolders : ImageFolderLayout.FileNamePrefixes;
        var data = layout == ImageFolderLayout.ClassFolders ? FromClassFolders(labelled) : FromFileNamePrefixes(labelled);
        var found = new DetectedImageFolder(data, layout, labelled, UnlabeledBeside(labelled)) { ReadFromTrainSubfolder = fromTrain };
        if (data.ClassNames.Count < 2)
        {
            throw new DatasetException(labelled,
                $"holds one class ('{data.ClassNames[0]}') in {found.LayoutDescription}; a classifier needs at least two");
        }

        return found;
    }

    /// <summary>A flat test1/ or test/ sibling of a labelled folder named train/ that holds files, or null.</summary>
    private static string? UnlabeledBeside(string labelled)
    {
        string trimmed = Path.TrimEndingDirectorySeparator(labelled);
        string? parent = Path.GetDirectoryName(trimmed);
        if (parent is null || !Path.GetFileName(trimmed).Equals("train", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (string name in UnlabeledFolderNames)
        {
            string candidate = Path.Combine(parent, name);
            if (Directory.Exists(candidate) && DatasetFiles.Subfolders(candidate).Length == 0 && Directory.EnumerateFiles(candidate).Any())
            {
                return candidate;
            }
        }

        return null;
    }
}

namespace TransferKit.Data.Datasets;

/// <summary>
/// The Kaggle "Dogs vs. Cats" layout: train/ holds cat.0.jpg ... dog.12499.jpg, test1/ holds 1.jpg ... 12500.jpg
/// without labels. Labels are 0 = cat, 1 = dog.
/// </summary>
public static class KaggleDogsVsCats
{
    /// <summary>The class names in label order: "cat", "dog".</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["cat", "dog"];

    /// <summary>Reads the labelled train/ folder (file names cat.N.jpg and dog.N.jpg, any case).</summary>
    /// <param name="directory">The train/ folder.</param>
    /// <exception cref="DatasetException">The folder is missing or empty, or a file name is neither cat.* nor dog.*.</exception>
    public static ImageFileDataset Train(string directory) => ImageFileDataset.FromFileNamePrefixes(directory, ClassNames);

    /// <summary>Reads the unlabelled test1/ folder for prediction.</summary>
    /// <param name="directory">The test1/ folder.</param>
    /// <exception cref="DatasetException">The folder is missing or empty.</exception>
    public static ImageFileDataset Test(string directory) => ImageFileDataset.FromUnlabeledFolder(directory);
}

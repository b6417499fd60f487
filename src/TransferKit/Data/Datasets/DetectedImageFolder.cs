namespace TransferKit.Data.Datasets;

/// <summary>A labelled image folder whose layout <see cref="ImageFileDataset.DetectFolder"/> recognised.</summary>
/// <param name="Dataset">The labelled images.</param>
/// <param name="Layout">How the labels are written.</param>
/// <param name="LabelledDirectory">The folder the labels were read from: the folder passed in, or its <c>train/</c>
/// subfolder when the folder is a root of splits (Kaggle's download, or <c>train/</c> and <c>val/</c>).</param>
/// <param name="UnlabeledDirectory">A flat folder of unlabelled images beside a <see cref="LabelledDirectory"/> named <c>train</c>, named
/// <c>test1</c> or <c>test</c> (Kaggle's images to predict for a submission), or null when there is none.</param>
public sealed record DetectedImageFolder(ImageFileDataset Dataset, ImageFolderLayout Layout, string LabelledDirectory, string? UnlabeledDirectory)
{
    /// <summary>Whether the labels came from a <c>train/</c> subfolder of the folder passed in.</summary>
    public bool ReadFromTrainSubfolder { get; init; }

    /// <summary>The layout in words, e.g. "train/ with class-prefixed file names such as cat.1.jpg".</summary>
    public string LayoutDescription =>
        (ReadFromTrainSubfolder ? "train/ with " : "") + Layout switch
        {
            ImageFolderLayout.ClassFolders => "a folder per class",
            _ => "class-prefixed file names such as cat.1.jpg",
        };
}

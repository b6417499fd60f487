namespace TransferKit.Data.Datasets;

/// <summary>How the labels of a folder of images are written, as <see cref="ImageFileDataset.DetectFolder"/> found it.</summary>
public enum ImageFolderLayout
{
    /// <summary>One subfolder per class (torchvision's ImageFolder; Microsoft's PetImages with <c>Cat/</c> and <c>Dog/</c>).</summary>
    ClassFolders,

    /// <summary>One flat folder whose file names start with their class (Kaggle's Dogs vs Cats <c>train/</c>: <c>cat.1.jpg</c>).</summary>
    FileNamePrefixes,
}

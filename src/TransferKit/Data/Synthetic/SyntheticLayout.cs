namespace TransferKit.Data.Synthetic;

/// <summary>How synthetic image files are arranged on disk.</summary>
public enum SyntheticLayout
{
    /// <summary>root/&lt;class&gt;/&lt;n&gt;.jpg, as Microsoft PetImages and torchvision ImageFolder.</summary>
    FolderPerClass,

    /// <summary>root/train/&lt;class&gt;.&lt;n&gt;.jpg and unlabelled root/test1/&lt;n&gt;.jpg, as Kaggle Dogs vs Cats.</summary>
    KaggleFlat,
}

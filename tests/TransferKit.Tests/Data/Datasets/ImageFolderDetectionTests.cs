using TransferKit.Data.Datasets;
using TransferKit.Data.Synthetic;

namespace TransferKit.Tests.Data.Datasets;

public sealed class ImageFolderDetectionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tk-detect-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static SyntheticImageOptions Small(SyntheticLayout layout, int unlabeled = 0) =>
        new() { ImagesPerClass = 2, Width = 16, Height = 16, Format = SyntheticImageFormat.Png, Layout = layout, UnlabeledImages = unlabeled };

    private string Touch(params string[] parts)
    {
        string path = Path.Combine([_root, .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1]);
        return path;
    }

    [Fact]
    public void KaggleRoot_AndItsTrainFolder_ReadAsClassPrefixedFiles_WithTest1AsTheUnlabeledFolder()
    {
        var set = SyntheticImageTask.CatsAndDogs.Write(_root, Small(SyntheticLayout.KaggleFlat, unlabeled: 2));

        var fromRoot = ImageFileDataset.DetectFolder(_root);
        var fromTrain = ImageFileDataset.DetectFolder(set.TrainDirectory);

        Assert.Equal(ImageFolderLayout.FileNamePrefixes, fromRoot.Layout);
        Assert.Equal("train/ with class-prefixed file names such as cat.1.jpg", fromRoot.LayoutDescription);
        Assert.Equal("class-prefixed file names such as cat.1.jpg", fromTrain.LayoutDescription);
        Assert.Equal(set.TrainDirectory, fromRoot.LabelledDirectory);
        Assert.Equal(set.TestDirectory, fromRoot.UnlabeledDirectory);
        Assert.Equal(set.TestDirectory, fromTrain.UnlabeledDirectory);
        Assert.Equal(["cat", "dog"], fromRoot.Dataset.ClassNames);
        Assert.Equal(fromTrain.Dataset.Paths, fromRoot.Dataset.Paths);
        Assert.Equal("4 images in 2 classes (2 cat, 2 dog)", fromRoot.Dataset.Describe());
        Assert.Equal(fromRoot.Dataset.Paths, ImageFileDataset.FromFolder(_root).Paths);
    }

    [Fact]
    public void FolderPerClass_ReadsEverySubfolderAsAClass_AndReportsNoUnlabeledFolder()
    {
        string shapes = Path.Combine(_root, "shapes");
        SyntheticImageTask.Shapes.Write(shapes, Small(SyntheticLayout.FolderPerClass));
        Touch("test", "1.png"); // a flat test/ counts only beside a folder named train

        var found = ImageFileDataset.DetectFolder(shapes);

        Assert.Equal(ImageFolderLayout.ClassFolders, found.Layout);
        Assert.Equal("a folder per class", found.LayoutDescription);
        Assert.Equal(SyntheticImageTask.Shapes.ClassNames.Order(StringComparer.Ordinal), found.Dataset.ClassNames);
        Assert.Equal(24, found.Dataset.Count);
        Assert.Null(found.UnlabeledDirectory);
    }

    [Fact]
    public void RootOfSplits_WithClassFolders_ReadsTrain_AndALabelledTestFolderIsNotUnlabeled()
    {
        Touch("train", "ants", "1.png");
        Touch("train", "bees", "2.png");
        Touch("val", "ants", "3.png");
        Touch("test", "bees", "4.png");

        var found = ImageFileDataset.DetectFolder(_root);

        Assert.True(found.ReadFromTrainSubfolder);
        Assert.Equal(Path.Combine(_root, "train"), found.LabelledDirectory);
        Assert.Equal(["ants", "bees"], found.Dataset.ClassNames);
        Assert.Equal("train/ with a folder per class", found.LayoutDescription);
        Assert.Null(found.UnlabeledDirectory);
    }

    [Fact]
    public void AFolderWithOtherSubfoldersBesideTrain_IsAFolderPerClass()
    {
        Touch("train", "1.png");
        Touch("extra", "2.png");

        var found = ImageFileDataset.DetectFolder(_root);

        Assert.False(found.ReadFromTrainSubfolder);
        Assert.Equal(["extra", "train"], found.Dataset.ClassNames);
    }

    [Fact]
    public void OneClass_AFile_AMissingFolder_AndUnprefixedNames_AreRejectedNamingThePath()
    {
        string single = Path.Combine(_root, "single");
        string file = Touch("single", "cat", "1.png");
        Touch("flat", "noprefix");

        var oneClass = Assert.Throws<DatasetException>(() => ImageFileDataset.DetectFolder(single));
        Assert.Contains("holds one class ('cat') in a folder per class", oneClass.Message);
        Assert.Contains(single, oneClass.Message);
        Assert.Contains("is a file", Assert.Throws<DatasetException>(() => ImageFileDataset.DetectFolder(file)).Message);
        var missing = Assert.Throws<DatasetException>(() => ImageFileDataset.DetectFolder(Path.Combine(_root, "absent")));
        Assert.Contains("does not exist", missing.Message);
        Assert.Contains("no class prefix", Assert.Throws<DatasetException>(() => ImageFileDataset.DetectFolder(Path.Combine(_root, "flat"))).Message);
    }

    [Fact]
    public void Describe_SaysWhenADatasetHasNoLabels()
    {
        Touch("pics", "a.png");
        Touch("pics", "b.png");

        Assert.Equal("2 unlabelled images", ImageFileDataset.FromUnlabeledFolder(Path.Combine(_root, "pics")).Describe());
    }
}

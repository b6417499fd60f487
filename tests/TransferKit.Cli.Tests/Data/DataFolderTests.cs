using TransferKit.Cli.Data;
using TransferKit.Data.Datasets;
using TransferKit.Data.Synthetic;

namespace TransferKit.Cli.Tests.Data;

public sealed class DataFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tk-cli-data-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static SyntheticImageOptions Small(SyntheticLayout layout, int unlabeled = 0) =>
        new() { ImagesPerClass = 2, Width = 16, Height = 16, Format = SyntheticImageFormat.Png, Layout = layout, UnlabeledImages = unlabeled };

    [Fact]
    public void KaggleRoot_AndItsTrainFolder_ReadAsClassPrefixedFiles()
    {
        var set = SyntheticImageTask.CatsAndDogs.Write(_root, Small(SyntheticLayout.KaggleFlat, unlabeled: 2));

        var (fromRoot, rootLayout) = DataFolder.Load(_root);
        var (fromTrain, trainLayout) = DataFolder.Load(set.TrainDirectory);

        Assert.Equal("train/ with class-prefixed file names such as cat.1.jpg", rootLayout);
        Assert.Equal("class-prefixed file names such as cat.1.jpg", trainLayout);
        Assert.Equal(["cat", "dog"], fromRoot.ClassNames);
        Assert.Equal(fromTrain.Paths, fromRoot.Paths);
        Assert.Equal([2, 2], fromRoot.CountPerClass());
        Assert.Equal("4 images in 2 classes (2 cat, 2 dog)", DataFolder.Describe(fromRoot));
    }

    [Fact]
    public void FolderPerClass_ReadsEverySubfolderAsAClass()
    {
        SyntheticImageTask.Shapes.Write(_root, Small(SyntheticLayout.FolderPerClass));

        var (data, layout) = DataFolder.Load(_root);

        Assert.Equal("a folder per class", layout);
        Assert.Equal(SyntheticImageTask.Shapes.ClassNames.Order(StringComparer.Ordinal), data.ClassNames);
        Assert.Equal(24, data.Count);
    }

    [Fact]
    public void OneClass_AFileAndAMissingFolder_AreRejected()
    {
        string single = Path.Combine(_root, "single");
        Directory.CreateDirectory(Path.Combine(single, "cat"));
        File.WriteAllBytes(Path.Combine(single, "cat", "1.png"), [1]);

        Assert.Contains("holds one class ('cat')", Assert.Throws<DatasetException>(() => DataFolder.Load(single)).Message);
        Assert.Contains("is a file", Assert.Throws<DatasetException>(() => DataFolder.Load(Path.Combine(single, "cat", "1.png"))).Message);
        Assert.Throws<DirectoryNotFoundException>(() => DataFolder.Load(Path.Combine(_root, "absent")));
    }
}

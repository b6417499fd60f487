using TransferKit.Data.Datasets;

namespace TransferKit.Tests.Data.Datasets;

public sealed class ImageFileDatasetTests : IDisposable
{
    private readonly DatasetTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ClassFolders_AreSortedOrdinal_FilesRecursive_HiddenSkipped()
    {
        _folder.WriteImage("dog/b.png", 1);
        _folder.WriteImage("dog/a.png", 2);
        _folder.WriteImage("dog/nested/deeper/c.png", 3);
        _folder.WriteImage("Cat/1.png", 4);
        _folder.WriteImage("Cat/.hidden.png", 5);
        _folder.WriteImage("Cat/.ipynb_checkpoints/x.png", 6);
        _folder.WriteImage(".git/objects/y.png", 7);
        _folder.WriteImage("loose.png", 8); // a file in the root is not a class

        var dataset = ImageFileDataset.FromClassFolders(_folder.Root);

        Assert.Equal(["Cat", "dog"], dataset.ClassNames); // ordinal: upper case first, as torchvision sorts
        Assert.True(dataset.IsLabeled);
        Assert.Equal(
            [_folder.PathOf("Cat/1.png"), _folder.PathOf("dog/a.png"), _folder.PathOf("dog/b.png"), _folder.PathOf("dog/nested/deeper/c.png")],
            dataset.Paths);
        Assert.Equal([0, 1, 1, 1], Enumerable.Range(0, 4).Select(dataset.GetLabel));
        Assert.Equal(dataset.Paths[2], dataset.GetSourceName(2));
        Assert.Equal(1, dataset.Decode(2).Pixels[0]); // b.png has tag 1
    }

    [Fact]
    public void ClassFolders_ExplicitClassList_SetsLabelOrderAndIgnoresOtherFolders()
    {
        _folder.WriteImage("Cat/1.png");
        _folder.WriteImage("Dog/1.png");
        _folder.WriteImage("Dog/2.png");
        _folder.WriteImage("Other/1.png");

        var dataset = ImageFileDataset.FromClassFolders(_folder.Root, new FolderDatasetOptions { ClassNames = ["Dog", "Cat"] });

        Assert.Equal(["Dog", "Cat"], dataset.ClassNames);
        Assert.Equal([0, 0, 1], Enumerable.Range(0, dataset.Count).Select(dataset.GetLabel));
        Assert.Equal([2, 1], dataset.CountPerClass());
    }

    [Fact]
    public void ClassFolders_NonRecursiveAndExtensionFilter()
    {
        _folder.WriteImage("a/1.png");
        _folder.WriteImage("a/2.JPG");
        _folder.WriteImage("a/Thumbs.db");
        _folder.WriteImage("a/sub/3.png");

        var dataset = ImageFileDataset.FromClassFolders(_folder.Root,
            new FolderDatasetOptions { Recursive = false, Extensions = ["png", ".jpg"] });

        Assert.Equal([_folder.PathOf("a/1.png"), _folder.PathOf("a/2.JPG")], dataset.Paths);
    }

    [Fact]
    public void ClassFolders_PetImagesLayout_KeepsNonImagesForTheBadImageReport()
    {
        // Microsoft's PetImages: Cat/ and Dog/ with numbered JPEGs, a Thumbs.db in each, and a 0-byte file.
        _folder.WriteImage("PetImages/Cat/0.jpg");
        _folder.Write("PetImages/Cat/666.jpg", []);
        _folder.Write("PetImages/Cat/Thumbs.db", [0xD0, 0xCF, 0x11, 0xE0]);
        _folder.WriteImage("PetImages/Dog/0.jpg");

        var dataset = ImageFileDataset.FromClassFolders(_folder.PathOf("PetImages"));

        Assert.Equal(["Cat", "Dog"], dataset.ClassNames);
        Assert.Equal(4, dataset.Count);
        Assert.Contains(_folder.PathOf("PetImages/Cat/Thumbs.db"), dataset.Paths);
    }

    [Fact]
    public void ClassFolders_LayoutErrorsNameThePath()
    {
        var missing = Assert.Throws<DatasetException>(() => ImageFileDataset.FromClassFolders(_folder.PathOf("nope")));
        Assert.Equal(_folder.PathOf("nope"), missing.Path);

        var noClasses = Assert.Throws<DatasetException>(() => ImageFileDataset.FromClassFolders(_folder.Root));
        Assert.Contains("no class subfolders", noClasses.Message, StringComparison.Ordinal);

        _folder.WriteImage("Cat/1.png");
        Directory.CreateDirectory(_folder.PathOf("Dog"));
        var empty = Assert.Throws<DatasetException>(() => ImageFileDataset.FromClassFolders(_folder.Root));
        Assert.Equal(_folder.PathOf("Dog"), empty.Path);
        Assert.Equal(1, ImageFileDataset.FromClassFolders(_folder.Root, new FolderDatasetOptions { AllowEmptyClasses = true }).Count);

        var listed = Assert.Throws<DatasetException>(() =>
            ImageFileDataset.FromClassFolders(_folder.Root, new FolderDatasetOptions { ClassNames = ["Cat", "Bird"] }));
        Assert.Equal(_folder.PathOf("Bird"), listed.Path);

        Assert.Throws<ArgumentException>(() => ImageFileDataset.FromClassFolders(_folder.Root, new FolderDatasetOptions { ClassNames = ["Cat", "Cat"] }));
        Assert.Throws<ArgumentException>(() => ImageFileDataset.FromClassFolders(_folder.Root, new FolderDatasetOptions { ClassNames = [] }));
    }

    [Fact]
    public void Kaggle_TrainLabelsComeFromThePrefix_CaseInsensitive()
    {
        _folder.WriteImage("train/cat.0.jpg");
        _folder.WriteImage("train/dog.10.jpg");
        _folder.WriteImage("train/Dog.2.jpg");
        _folder.WriteImage("train/CAT.1.jpeg");
        _folder.WriteImage("train/.DS_Store");

        var dataset = KaggleDogsVsCats.Train(_folder.PathOf("train"));

        Assert.Equal(["cat", "dog"], dataset.ClassNames);
        var byName = Enumerable.Range(0, dataset.Count).ToDictionary(i => Path.GetFileName(dataset.Paths[i]), dataset.GetLabel);
        Assert.Equal(new Dictionary<string, int> { ["cat.0.jpg"] = 0, ["CAT.1.jpeg"] = 0, ["dog.10.jpg"] = 1, ["Dog.2.jpg"] = 1 }, byName);
    }

    [Fact]
    public void FileNamePrefixes_InferredClassesAreLowerCaseSorted()
    {
        _folder.WriteImage("flat/zebra.1.png");
        _folder.WriteImage("flat/Ant.1.png");
        _folder.WriteImage("flat/ant.2.png");

        var dataset = ImageFileDataset.FromFileNamePrefixes(_folder.PathOf("flat"));

        Assert.Equal(["ant", "zebra"], dataset.ClassNames);
        Assert.Equal([2, 1], dataset.CountPerClass());
    }

    [Fact]
    public void Kaggle_UnknownOrMissingPrefixesAreListedTogether()
    {
        _folder.WriteImage("train/cat.0.jpg");
        _folder.WriteImage("train/bird.1.jpg");
        _folder.WriteImage("train/fox.2.jpg");

        var unknown = Assert.Throws<DatasetException>(() => KaggleDogsVsCats.Train(_folder.PathOf("train")));
        Assert.Contains("2 file names start with no known class", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("bird.1.jpg", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("fox.2.jpg", unknown.Message, StringComparison.Ordinal);

        _folder.WriteImage("flat/nodot");
        _folder.WriteImage("flat/cat.1.jpg");
        var noPrefix = Assert.Throws<DatasetException>(() => ImageFileDataset.FromFileNamePrefixes(_folder.PathOf("flat")));
        Assert.Contains("nodot", noPrefix.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kaggle_TestFolderIsUnlabelled()
    {
        _folder.WriteImage("test1/2.jpg");
        _folder.WriteImage("test1/1.jpg");

        var dataset = KaggleDogsVsCats.Test(_folder.PathOf("test1"));

        Assert.False(dataset.IsLabeled);
        Assert.Empty(dataset.ClassNames);
        Assert.Equal([_folder.PathOf("test1/1.jpg"), _folder.PathOf("test1/2.jpg")], dataset.Paths);
        Assert.Equal(IImageDataset.NoLabel, dataset.GetLabel(0));
        Assert.Empty(dataset.CountPerClass());
    }

    [Fact]
    public void Constructor_ValidatesLabelsAndIndices()
    {
        Assert.Throws<ArgumentException>(() => new ImageFileDataset(["a.png"], [2], ["x", "y"]));
        Assert.Throws<ArgumentException>(() => new ImageFileDataset(["a.png", "b.png"], [0], ["x"]));
        Assert.Throws<ArgumentException>(() => new ImageFileDataset(["a.png"], [0], [""]));
        var dataset = new ImageFileDataset(["a.png"], [0], ["x"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.GetLabel(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.GetSourceName(-1));
    }
}

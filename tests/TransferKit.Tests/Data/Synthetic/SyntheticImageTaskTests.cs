using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Data.Synthetic;
using TransferKit.Tests.Data.Datasets;

namespace TransferKit.Tests.Data.Synthetic;

public sealed class SyntheticImageTaskTests : IDisposable
{
    private readonly DatasetTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Tasks_HaveManySourceClassesAndTwoTargetClasses()
    {
        Assert.Equal(12, SyntheticImageTask.Shapes.ClassNames.Count);
        Assert.Equal(["cat", "dog"], SyntheticImageTask.CatsAndDogs.ClassNames);
        Assert.All(SyntheticImageTask.Shapes.ClassNames, n => Assert.DoesNotContain('.', n));
    }

    [Fact]
    public void Render_IsDeterministicPerSeed_AndVaries()
    {
        var task = SyntheticImageTask.Shapes;

        byte[] a = task.Render(3, 24, 20, seed: 5).Pixels;

        Assert.Equal(a, task.Render(3, 24, 20, seed: 5).Pixels);
        Assert.NotEqual(a, task.Render(3, 24, 20, seed: 6).Pixels);
        Assert.Equal(24 * 20 * 3, a.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => task.Render(12, 24, 24, seed: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => task.Render(0, 8, 24, seed: 0));
    }

    [Fact]
    public void FolderPerClass_PngFiles_ReadBackAsAFolderDataset()
    {
        var set = SyntheticImageTask.Shapes.Write(_folder.Root,
            new SyntheticImageOptions { ImagesPerClass = 2, Width = 20, Height = 16, Format = SyntheticImageFormat.Png, Seed = 3 });

        var dataset = ImageFileDataset.FromClassFolders(set.TrainDirectory,
            new FolderDatasetOptions { ClassNames = SyntheticImageTask.Shapes.ClassNames });

        Assert.Equal(24, dataset.Count);
        Assert.Equal(set.Files.Order(StringComparer.Ordinal), dataset.Paths.Order(StringComparer.Ordinal));
        Assert.Equal(_folder.PathOf("ring/1.png"), set.Files[(5 * 2) + 1]);
        var image = dataset.Decode(dataset.Paths.ToList().IndexOf(_folder.PathOf("ring/1.png")));
        Assert.Equal(ImageFormat.Png, image.SourceFormat);
        Assert.Equal((20, 16), (image.Width, image.Height));
        int ring = Array.IndexOf([.. SyntheticImageTask.Shapes.ClassNames], "ring");
        // PNG is lossless: the file holds exactly what Render draws for that image's seed, so rewriting reproduces it.
        var again = SyntheticImageTask.Shapes.Write(_folder.PathOf("again"),
            new SyntheticImageOptions { ImagesPerClass = 2, Width = 20, Height = 16, Format = SyntheticImageFormat.Png, Seed = 3 });
        Assert.Equal(File.ReadAllBytes(set.Files[(ring * 2) + 1]), File.ReadAllBytes(again.Files[(ring * 2) + 1]));
    }

    [Fact]
    public void KaggleFlat_JpegFiles_ReadBackWithLabelsAndAnUnlabelledTestSet()
    {
        var set = SyntheticImageTask.CatsAndDogs.Write(_folder.Root,
            new SyntheticImageOptions { ImagesPerClass = 3, Width = 32, Height = 32, Layout = SyntheticLayout.KaggleFlat, UnlabeledImages = 4 });

        var train = KaggleDogsVsCats.Train(set.TrainDirectory);
        var test = KaggleDogsVsCats.Test(set.TestDirectory!);

        Assert.Equal(_folder.PathOf("train/dog.2.jpg"), set.Files[5]);
        Assert.Equal([3, 3], train.CountPerClass());
        for (int i = 0; i < train.Count; i++)
        {
            Assert.Equal(set.Labels[set.Files.ToList().IndexOf(train.Paths[i])], train.GetLabel(i));
        }

        Assert.Equal(4, test.Count);
        Assert.Equal(_folder.PathOf("test1/1.jpg"), set.UnlabeledFiles[0]);
        Assert.All(set.UnlabeledLabels, l => Assert.InRange(l, 0, 1));
        Assert.Equal(ImageFormat.Jpeg, test.Decode(0).SourceFormat);
    }

    [Fact]
    public void Options_AreValidated()
    {
        Assert.Equal("UnlabeledImages", Assert.Throws<ArgumentOutOfRangeException>(() =>
            SyntheticImageTask.Shapes.Write(_folder.Root, new SyntheticImageOptions { UnlabeledImages = 1 })).ParamName);
        Assert.Equal("JpegQuality", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new SyntheticImageOptions { JpegQuality = 0 }.Validate()).ParamName);
        Assert.Equal("Clutter", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new SyntheticImageOptions { Clutter = 3 }.Validate()).ParamName);
    }
}

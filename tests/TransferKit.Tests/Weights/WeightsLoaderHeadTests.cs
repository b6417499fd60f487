using TransferKit.Weights;

namespace TransferKit.Tests.Weights;

public class WeightsLoaderHeadTests
{
    private static string WriteBaseline(TempFolder folder, int classes, int seed)
    {
        string path = folder.File($"baseline_{classes}.safetensors");
        using var source = WeightsLoaderTests.Model(seed, classes);
        SafetensorsWriter.Write(path, source.StateDict());
        return path;
    }

    [Fact]
    public void LoadModeFailsOnAnotherClassCountAndSuggestsSkipping()
    {
        using var folder = new TempFolder();
        string path = WriteBaseline(folder, classes: 3, seed: 1);
        using var target = WeightsLoaderTests.Model(seed: 2, classes: 5);

        var error = Assert.Throws<WeightsMismatchException>(() =>
            WeightsLoader.Load(target, path, new WeightsLoadOptions { HeadPrefix = "classifier." }));

        Assert.Contains(nameof(HeadLoading.SkipWhenShapesDiffer), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SkipWhenShapesDifferKeepsTheModelsHeadAndReportsIt()
    {
        using var folder = new TempFolder();
        string path = WriteBaseline(folder, classes: 3, seed: 3);
        using var source = WeightsLoaderTests.Model(seed: 3, classes: 3);
        using var target = WeightsLoaderTests.Model(seed: 4, classes: 5);
        var before = WeightsLoaderTests.Snapshot(target);

        var report = WeightsLoader.Load(target, path, new WeightsLoadOptions { Head = HeadLoading.SkipWhenShapesDiffer, HeadPrefix = "classifier" });

        Assert.True(report.HeadSkipped);
        Assert.Equal(["classifier.weight", "classifier.bias"], report.SkippedHead);
        Assert.Contains("classifier.weight: model [5, 8], file [3, 8]", report.HeadSkipReason, StringComparison.Ordinal);
        Assert.Equal(10, report.Loaded.Count);
        var after = WeightsLoaderTests.Snapshot(target);
        var expected = WeightsLoaderTests.Snapshot(source);
        foreach (var key in report.Loaded) Assert.Equal(expected[key], after[key]);
        Assert.Equal(before["classifier.weight"], after["classifier.weight"]);
        Assert.Equal(before["classifier.bias"], after["classifier.bias"]);
    }

    [Fact]
    public void SkipWhenShapesDifferLoadsAMatchingHead()
    {
        using var folder = new TempFolder();
        string path = WriteBaseline(folder, classes: 3, seed: 5);
        using var source = WeightsLoaderTests.Model(seed: 5, classes: 3);
        using var target = WeightsLoaderTests.Model(seed: 6, classes: 3);

        var report = WeightsLoader.Load(target, path, new WeightsLoadOptions { Head = HeadLoading.SkipWhenShapesDiffer, HeadPrefix = "classifier." });

        Assert.False(report.HeadSkipped);
        Assert.Empty(report.SkippedHead);
        Assert.Equal(WeightsLoaderTests.Snapshot(source), WeightsLoaderTests.Snapshot(target));
    }

    [Fact]
    public void SkipNeverLoadsTheHead()
    {
        using var folder = new TempFolder();
        string path = WriteBaseline(folder, classes: 3, seed: 7);
        using var target = WeightsLoaderTests.Model(seed: 8, classes: 3);
        var before = WeightsLoaderTests.Snapshot(target);

        var report = WeightsLoader.Load(target, path, new WeightsLoadOptions { Head = HeadLoading.Skip, HeadPrefix = "classifier." });

        Assert.Contains("Skip", report.HeadSkipReason, StringComparison.Ordinal);
        Assert.Equal(["classifier.weight", "classifier.bias"], report.SkippedHead);
        Assert.Equal(before["classifier.weight"], WeightsLoaderTests.Snapshot(target)["classifier.weight"]);
    }

    [Fact]
    public void ConvNetsGiveTheirOwnHeadName()
    {
        using var folder = new TempFolder();
        string path = folder.File("tiny.safetensors");
        using (var source = new TinyConvNet(classes: 7, seed: 1)) SafetensorsWriter.Write(path, source.StateDict());
        using var target = new TinyConvNet(classes: 2, seed: 2);

        var report = WeightsLoader.Load(target, path, new WeightsLoadOptions { Head = HeadLoading.SkipWhenShapesDiffer });

        Assert.Equal(["fc.weight", "fc.bias"], report.SkippedHead);
        Assert.Equal(["conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"], report.Loaded);
        var error = Assert.Throws<WeightsMismatchException>(() => WeightsLoader.Load(target, path));
        Assert.Contains("Only the head 'fc.' differs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SkippingNeedsAHeadPrefixForPlainModules()
    {
        using var folder = new TempFolder();
        string path = WriteBaseline(folder, classes: 3, seed: 9);
        // A plain module (not a ConvNet) has no HeadName to take the prefix from.
        using var target = new TransferKit.Nn.Sequential(new TransferKit.Nn.Linear(4, 5, new Random(10)));

        var error = Assert.Throws<ArgumentException>(() => WeightsLoader.Load(target, path, new WeightsLoadOptions { Head = HeadLoading.Skip }));
        Assert.Contains("HeadPrefix", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new WeightsLoadOptions { HeadPrefix = ".fc" }.Validate());
        Assert.Throws<ArgumentException>(() => new WeightsLoadOptions { Head = (HeadLoading)42 }.Validate());
    }
}

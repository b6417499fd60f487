using Microsoft.ML;
using TransferKit.Data.Datasets;
using TransferKit.MLNet.Data;
using TransferKit.MLNet.Featurization;
using TransferKit.MLNet.Hosting;

namespace TransferKit.MLNet.Tests.Classification;

public sealed class BadInputTests
{
    private static readonly MLContext Ml = new(seed: 1);

    [Fact]
    public void APathWhereBytesAreExpectedNamesTheColumnAndLoadRawImageBytes()
    {
        var data = Ml.Data.LoadFromEnumerable(new[] { new PathRow { Image = "cat.jpg", Label = "cat" }, new PathRow { Image = "dog.jpg", Label = "dog" } });
        var keyed = Ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Fit(data).Transform(data);
        var e = Assert.Throws<ColumnMismatchException>(() => Ml.MulticlassClassification.Trainers.TransferKitImageClassification(MlNetFixtures.TinyOptions()).Fit(keyed));
        Assert.Equal("Image", e.ColumnName);
        Assert.Contains("Vector<Byte>", e.Message, StringComparison.Ordinal);
        Assert.Contains("LoadRawImageBytes", e.Message, StringComparison.Ordinal);
    }

    /// <summary>ExtractPixels gives pixel values, not images: the error says to pass the images themselves.</summary>
    [Fact]
    public void PixelValuesFromExtractPixelsNameTheImagesAsTheFix()
    {
        using var dir = new Testing.TempDirectory("tk-mlnet-pixels-");
        var data = Ml.Data.LoadFromEnumerable(MlImageTests.PathRows(dir, MlNetFixtures.Rows(2, 1)));
        var pixels = Ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label")
            .Append(Ml.Transforms.LoadImages("Loaded", imageFolder: "", inputColumnName: "Image"))
            .Append(Ml.Transforms.ResizeImages("Loaded", imageWidth: 16, imageHeight: 16))
            .Append(Ml.Transforms.ExtractPixels("Image", "Loaded")).Fit(data).Transform(data);
        using var backbone = ConvNetFeatureBackbone.FromBaselineCnn(Testing.TinyModels.Backbone(), null, Testing.TinyModels.InputSize);
        foreach (var e in new[]
                 {
                     Assert.Throws<ColumnMismatchException>(() => Ml.Transforms.TransferKitFeaturizeImage("Features", "Image", backbone).Fit(pixels)),
                     Assert.Throws<ColumnMismatchException>(() => Ml.MulticlassClassification.Trainers.TransferKitImageClassification(MlNetFixtures.TinyOptions()).Fit(pixels)),
                 })
        {
            Assert.Equal("Image", e.ColumnName);
            Assert.Contains("pixel values", e.Message, StringComparison.Ordinal);
            Assert.Contains("LoadRawImageBytes or LoadImages", e.Message, StringComparison.Ordinal);
        }
        var shape = Assert.Throws<ColumnMismatchException>(() => Ml.Transforms.TransferKitFeaturizeImage("Features", "Image", backbone).GetOutputSchema(MlNetInternals.ShapeOf(pixels.Schema)));
        Assert.Contains("MLImage", shape.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALabelThatIsNotAKeyNamesTheColumnAndMapValueToKey()
    {
        var data = Ml.Data.LoadFromEnumerable(MlNetFixtures.Rows(2, 2));
        var options = MlNetFixtures.TinyOptions();
        options.LabelColumnName = "Label";
        var e = Assert.Throws<ColumnMismatchException>(() => Ml.MulticlassClassification.Trainers.TransferKitImageClassification(options).Fit(data));
        Assert.Equal("Label", e.ColumnName);
        Assert.Contains("key type", e.Message, StringComparison.Ordinal);
        Assert.Contains("MapValueToKey", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingColumnIsNamedBeforeAnyWork()
    {
        var data = Ml.Data.LoadFromEnumerable(MlNetFixtures.Rows(2, 2));
        var options = MlNetFixtures.TinyOptions();
        options.FeatureColumnName = "Picture";
        var e = Assert.Throws<ColumnMismatchException>(() => MlNetFixtures.Pipeline(Ml, options).Fit(data));
        Assert.Equal("Picture", e.ColumnName);
        Assert.Null(e.ActualType);
        Assert.Contains("'Image'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUndecodableImageIsSkippedAndReportedOrFailsUnderTheStrictPolicy()
    {
        var rows = MlNetFixtures.Rows(2, 4);
        rows.Add(new ImageRow { Image = [1, 2, 3, 4, 5], Label = rows[0].Label });
        var data = Ml.Data.LoadFromEnumerable(rows);
        var warnings = new List<string>();
        var ml = new MLContext(seed: 1);
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning) lock (warnings) warnings.Add(e.Message); };
        var model = MlNetFixtures.Pipeline(ml, MlNetFixtures.TinyOptions(epochs: 1)).Fit(data);
        Assert.Contains(warnings, w => w.Contains("skipped", StringComparison.Ordinal) && w.Contains("training row 8", StringComparison.Ordinal));

        // Scoring the bad row gives NaN scores and the missing key, with a warning, instead of ending the cursor.
        var scored = ml.Data.CreateEnumerable<ScoredRow>(model.Transform(data), reuseRowObject: false).ToList();
        Assert.All(scored[^1].Score, s => Assert.True(float.IsNaN(s)));
        Assert.Equal(8, scored.Count(r => !float.IsNaN(r.Score[0])));

        var strict = MlNetFixtures.TinyOptions(epochs: 1);
        strict.BadImages = BadImagePolicy.Strict;
        Assert.ThrowsAny<TransferKitException>(() => MlNetFixtures.Pipeline(ml, strict).Fit(data));
    }
}

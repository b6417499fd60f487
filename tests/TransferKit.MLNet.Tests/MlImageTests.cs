using Microsoft.ML;
using TransferKit.MLNet.Featurization;
using TransferKit.Testing;

namespace TransferKit.MLNet.Tests;

/// <summary>
/// Images from ML.NET's LoadImages (MLImage, decoded by ImageAnalytics) work wherever encoded bytes do, and give the same
/// results: the test images are PNG, which both decoders read to the same pixels.
/// </summary>
public sealed class MlImageTests
{
    /// <summary>Writes each row's image as a file and returns rows of its path.</summary>
    internal static List<PathRow> PathRows(TempDirectory dir, IReadOnlyList<ImageRow> rows) =>
        rows.Select((r, i) =>
        {
            string path = dir.PathOf($"{i}.png");
            File.WriteAllBytes(path, r.Image);
            return new PathRow { Image = path, Label = r.Label };
        }).ToList();

    private static (IDataView Bytes, IDataView Images, List<PathRow> Rows) BothForms(MLContext ml, TempDirectory dir, int classes, int perClass)
    {
        var rows = PathRows(dir, MlNetFixtures.Rows(classes, perClass));
        var data = ml.Data.LoadFromEnumerable(rows);
        var bytes = ml.Transforms.LoadRawImageBytes("Image", imageFolder: null, inputColumnName: "Image").Fit(data).Transform(data);
        var images = ml.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: "Image").Fit(data).Transform(data);
        return (bytes, images, rows);
    }

    [Fact]
    public void TheFeaturizerGivesTheSameFeaturesFromLoadImagesAsFromLoadRawImageBytes()
    {
        using var dir = new TempDirectory("tk-mlnet-mlimage-feat-");
        var ml = new MLContext(seed: 1);
        var (bytes, images, rows) = BothForms(ml, dir, classes: 3, perClass: 3);
        var backbone = ConvNetFeatureBackbone.FromBaselineCnn(TinyModels.Backbone(), null, TinyModels.InputSize);
        var featurizer = ml.Transforms.TransferKitFeaturizeImage("Features", "Image", backbone, batchSize: 4);
        var fromBytes = FreshProcess.Format(featurizer.Fit(bytes).Transform(bytes), "Features");
        var model = featurizer.Fit(images);
        Assert.Equal(fromBytes, FreshProcess.Format(model.Transform(images), "Features"));

        // One row at a time (the prediction engine's path) reads the MLImage too.
        var pipeline = ml.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: "Image").Append(featurizer).Fit(ml.Data.LoadFromEnumerable(rows));
        var engine = ml.Model.CreatePredictionEngine<PathRow, FeatureRow>(pipeline);
        Assert.Equal(fromBytes[4], string.Join(" ", engine.Predict(rows[4]).Features.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void TheTrainerTrainsTheSameFromLoadImagesAsFromLoadRawImageBytes()
    {
        using var dir = new TempDirectory("tk-mlnet-mlimage-train-");
        var ml = new MLContext(seed: 1);
        var (bytes, images, _) = BothForms(ml, dir, classes: 2, perClass: 4);
        string[] Scores(IDataView data) => FreshProcess.Format(MlNetFixtures.Pipeline(new MLContext(seed: 1), MlNetFixtures.TinyOptions(epochs: 1)).Fit(data).Transform(data), "Score");
        var fromBytes = Scores(bytes);
        Assert.All(fromBytes, s => Assert.DoesNotContain("NaN", s, StringComparison.Ordinal));
        Assert.Equal(fromBytes, Scores(images));
    }

    private sealed class FeatureRow
    {
        [Microsoft.ML.Data.VectorType]
        public float[] Features { get; set; } = [];
    }
}

using Microsoft.ML;
using TransferKit.MLNet;
using TransferKit.MLNet.Classification;
using TransferKit.Testing;

namespace PackageConsumer;

/// <summary>Uses TransferKit.MLNet as an ML.NET application would, through the NuGet packages only.</summary>
public sealed class MlNetConsumerTests
{
    public sealed class Row
    {
        public byte[] Image { get; set; } = [];

        public string Label { get; set; } = "";
    }

    public sealed class Output
    {
        public float[] Score { get; set; } = [];

        public string PredictedLabel { get; set; } = "";
    }

    [Fact]
    public void TrainsEvaluatesSavesLoadsAndPredictsThroughAnMlNetPipeline()
    {
        var rows = Enumerable.Range(0, 12).Select(i => new Row { Image = TestImages.Encode(i % 2, i / 2), Label = i % 2 == 0 ? "cat" : "dog" }).ToList();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var options = new TransferKitImageClassificationOptions
        {
            FeatureColumnName = "Image",
            LabelColumnName = "LabelKey",
            BaselineCnn = TinyModels.Backbone(),
            InputSize = TinyModels.InputSize,
            Epoch = 1,
            BatchSize = 4,
            ValidationSetFraction = null,
            EarlyStoppingCriteria = null,
        };
        var model = ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label")
            .Append(ml.MulticlassClassification.Trainers.TransferKitImageClassification(options))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data), labelColumnName: "LabelKey");
        Assert.InRange(metrics.MicroAccuracy, 0, 1);

        using var dir = new TempDirectory("tk-consumer-mlnet-");
        string path = dir.PathOf("model.zip");
        ml.Model.Save(model, data.Schema, path);
        var fresh = new MLContext();
        fresh.RegisterTransferKit();
        var loaded = fresh.Model.Load(path, out _);
        var expected = ml.Model.CreatePredictionEngine<Row, Output>(model).Predict(rows[0]);
        var actual = fresh.Model.CreatePredictionEngine<Row, Output>(loaded).Predict(rows[0]);
        Assert.Equal(expected.Score, actual.Score);
        Assert.Contains(actual.PredictedLabel, new[] { "cat", "dog" });
    }
}

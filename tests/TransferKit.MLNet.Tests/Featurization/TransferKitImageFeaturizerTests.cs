using Microsoft.ML;
using Microsoft.ML.Data;
using TransferKit.Api;
using TransferKit.MLNet.Featurization;
using TransferKit.Models;
using TransferKit.Testing;

namespace TransferKit.MLNet.Tests.Featurization;

public sealed class TransferKitImageFeaturizerTests
{
    private sealed class FeatureRow
    {
        [VectorType]
        public float[] Features { get; set; } = [];
    }

    [Fact]
    public void FeaturesFeedLbfgsAndTheFittedPipelineSavesAndLoads()
    {
        using var dir = new TempDirectory("tk-mlnet-feat-");
        string weights = TinyModels.WriteBackboneWeights(dir.PathOf("backbone.safetensors"), seed: 3);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(MlNetFixtures.Rows(classes: 3, perClass: 8));
        var backbone = ConvNetFeatureBackbone.FromBaselineCnn(TinyModels.Backbone(classes: 5), weights, TinyModels.InputSize);
        Assert.Equal(TinyModels.Channels[^1], backbone.FeatureDimension);

        var pipeline = ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label")
            .Append(ml.Transforms.TransferKitFeaturizeImage("Features", "Image", backbone, batchSize: 5))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("LabelKey", "Features"))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabelValue", "PredictedLabel"));
        var model = pipeline.Fit(data);
        var scored = model.Transform(data);
        var metrics = ml.MulticlassClassification.Evaluate(scored, "LabelKey");
        Assert.True(metrics.MicroAccuracy > 1.0 / 3, $"accuracy {metrics.MicroAccuracy}");

        // Batched features equal one image at a time (the prediction engine's path).
        var batched = ml.Data.CreateEnumerable<FeatureRow>(scored, reuseRowObject: false).Select(r => r.Features).ToList();
        var engine = ml.Model.CreatePredictionEngine<ImageRow, FeatureRow>(model);
        var rows = MlNetFixtures.Rows(classes: 3, perClass: 8);
        for (int i = 0; i < rows.Count; i += 7) Assert.Equal(batched[i], engine.Predict(rows[i]).Features);

        string path = dir.PathOf("featurizer.zip");
        ml.Model.Save(model, data.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);
        var reloaded = ml.Data.CreateEnumerable<ScoredRow>(loaded.Transform(data), reuseRowObject: false).ToList();
        Assert.Equal(ml.Data.CreateEnumerable<ScoredRow>(scored, reuseRowObject: false).Select(r => r.Score), reloaded.Select(r => r.Score));
    }

    [Fact]
    public void BFloat16FeaturesStayCloseToFloat32AndThePrecisionIsSaved()
    {
        using var dir = new TempDirectory("tk-mlnet-bf16-");
        // Wider than the tiny backbone: its last convolution has more than 64 channels on both sides, so it runs on the
        // bfloat16 products (narrow convolutions keep the float32 direct kernel in a bfloat16 scope).
        var wide = new TransferKit.Models.BaselineCnnOptions { Channels = [8, 80, 96], Classes = 5 };
        using var backbone = ConvNetFeatureBackbone.FromBaselineCnn(wide, weightsPath: null, TinyModels.InputSize);
        var images = Enumerable.Range(0, 6).Select(i => TestImages.Render(i % 3, i)).ToList();
        float[] fp32 = new float[images.Count * backbone.FeatureDimension], bf16 = new float[fp32.Length];
        backbone.Featurize(images, fp32);
        backbone.Precision = InferencePrecision.BFloat16;
        backbone.Featurize(images, bf16);
        double scale = fp32.Max(Math.Abs), worst = fp32.Zip(bf16, (a, b) => Math.Abs(a - b)).Max();
        if (InferencePrecisionSupport.IsAvailable(InferencePrecision.BFloat16)) Assert.InRange(worst, 1e-9, 0.05 * scale);
        else Assert.Equal(0, worst);

        string saved = dir.PathOf("bf16-backbone.safetensors");
        backbone.Save(saved);
        using var loaded = ConvNetFeatureBackbone.Load(saved);
        Assert.Equal(InferencePrecision.BFloat16, loaded.Precision);
        float[] again = new float[fp32.Length];
        loaded.Featurize(images, again);
        Assert.Equal(bf16, again);
    }

    [Fact]
    public void StopsAtTheNamedUnit()
    {
        using var network = new BaselineCnn(TinyModels.Backbone());
        string first = network.Units[0].Name;
        using var backbone = ConvNetFeatureBackbone.FromBaselineCnn(TinyModels.Backbone(), null, TinyModels.InputSize, upToUnit: first);
        Assert.Equal(TinyModels.Channels[0], backbone.FeatureDimension);
        Assert.Contains(first, backbone.Description, StringComparison.Ordinal);
    }
}

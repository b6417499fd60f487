using Microsoft.ML;
using TransferKit.MLNet.Featurization;
using TransferKit.Models.Onnx;
using TransferKit.Testing;

namespace TransferKit.MLNet.Tests.Featurization;

public sealed class OnnxFeatureBackboneTests
{
    private static IEstimator<ITransformer> LbfgsPipeline(MLContext ml, IImageFeatureBackbone backbone) =>
        ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label")
            .Append(ml.Transforms.TransferKitFeaturizeImage("Features", "Image", backbone, batchSize: 5))
            // The random fixture's features are small (about 0.1): scaled, L-BFGS's default regularisation no longer flattens them.
            .Append(ml.Transforms.NormalizeMeanVariance("Scaled", "Features"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("LabelKey", "Scaled"))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabelValue", "PredictedLabel"));

    [Fact]
    public void AnOnnxBackboneFeedsLbfgs_AndThePipelineLoadsWithoutTheOnnxFile_HereAndInANewProcess()
    {
        using var dir = new TempDirectory("tk-mlnet-onnx-feat-");
        string onnx = OnnxFixtures.CopyResidual(dir);
        var ml = new MLContext(seed: 1);
        var rows = MlNetFixtures.Rows(classes: 3, perClass: 6);
        var data = ml.Data.LoadFromEnumerable(rows);
        var backbone = ConvNetFeatureBackbone.FromOnnx(onnx, new OnnxBackboneOptions { Name = "residual-fixture" }, inputSize: OnnxFixtures.ResidualInputSize);
        Assert.StartsWith("residual-fixture up to block2 (3 of 3 units)", backbone.Description, StringComparison.Ordinal);

        var model = LbfgsPipeline(ml, backbone).Fit(data);
        var scored = model.Transform(data);
        var metrics = ml.MulticlassClassification.Evaluate(scored, "LabelKey");
        string[] features = FreshProcess.Format(scored, "Features");
        Assert.True(metrics.MicroAccuracy > 1.0 / 3, $"accuracy {metrics.MicroAccuracy}");
        Assert.All(features, f => Assert.Equal(backbone.FeatureDimension, f.Split(' ').Length));

        string path = dir.PathOf("featurizer.zip");
        ml.Model.Save(model, data.Schema, path);
        File.Delete(onnx);
        var loaded = new MLContext().Model.Load(path, out _);
        var reloaded = loaded.Transform(data);
        Assert.Equal(features, FreshProcess.Format(reloaded, "Features"));
        Assert.Equal(FreshProcess.Format(scored, "Score"), FreshProcess.Format(reloaded, "Score"));

        var images = FreshProcess.WriteImages(dir, rows.Take(4).ToList());
        Assert.Equal(features.Take(4), FreshProcess.Outputs(path, "Features", images));
        Assert.Equal(FreshProcess.Format(scored, "Score").Take(4), FreshProcess.Outputs(path, "Score", images));
    }

    [Fact]
    public void UpToAUnit_StopsThere()
    {
        using var dir = new TempDirectory("tk-mlnet-onnx-unit-");
        string onnx = OnnxFixtures.CopyResidual(dir);
        using var whole = ConvNetFeatureBackbone.FromOnnx(onnx, inputSize: OnnxFixtures.ResidualInputSize);
        using var stem = ConvNetFeatureBackbone.FromOnnx(onnx, upToUnit: "stem", inputSize: OnnxFixtures.ResidualInputSize);
        Assert.Contains("up to stem (1 of 3 units)", stem.Description, StringComparison.Ordinal);
        var image = new[] { TestImages.Render(1, 2) };
        var a = new float[whole.FeatureDimension];
        var b = new float[stem.FeatureDimension];
        whole.Featurize(image, a);
        stem.Featurize(image, b);
        Assert.True(a.Any(v => v != 0) && b.Any(v => v != 0));
        Assert.Throws<ArgumentException>(() => ConvNetFeatureBackbone.FromOnnx(onnx, upToUnit: "layer9", inputSize: OnnxFixtures.ResidualInputSize));
    }

    /// <summary>ML.NET's own ResNet-18 (the network of DnnFeaturizeImage): 512 features, saved into the ML.NET model and loaded by a new process.</summary>
    [Fact]
    public void MlNetResNet18_Gives512Features_AndLoadsInANewProcess()
    {
        using var dir = new TempDirectory("tk-mlnet-resnet18-");
        var ml = new MLContext(seed: 1);
        var rows = MlNetFixtures.Rows(classes: 2, perClass: 2);
        var data = ml.Data.LoadFromEnumerable(rows);
        var backbone = ConvNetFeatureBackbone.FromMlNetResNet18(packagesFolder: OnnxFixtures.PackagesFolder);
        Assert.Equal(512, backbone.FeatureDimension);
        Assert.StartsWith("ResNet-18 (ML.NET) up to block9", backbone.Description, StringComparison.Ordinal);
        var model = ml.Transforms.TransferKitFeaturizeImage("Features", "Image", backbone).Fit(data);
        string[] features = FreshProcess.Format(model.Transform(data), "Features");
        Assert.All(features, f => Assert.Equal(512, f.Split(' ').Length));

        string path = dir.PathOf("resnet18-featurizer.zip");
        ml.Model.Save(model, data.Schema, path);
        Assert.Equal(features, FreshProcess.Outputs(path, "Features", FreshProcess.WriteImages(dir, rows)));
    }
}

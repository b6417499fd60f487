using Microsoft.ML;
using TransferKit.MLNet.Classification;
using TransferKit.Models.Onnx;
using TransferKit.Testing;
using TransferKit.Training.Freezing;

namespace TransferKit.MLNet.Tests.Classification;

public sealed class OnnxBackboneTrainerTests
{
    private static TransferKitImageClassificationOptions OnnxOptions(string onnx) => new()
    {
        FeatureColumnName = "Image",
        LabelColumnName = "LabelKey",
        OnnxBackbonePath = onnx,
        OnnxBackboneOptions = new OnnxBackboneOptions { Name = "residual-fixture" },
        InputSize = OnnxFixtures.ResidualInputSize,
        Freeze = FreezeDepth.FirstUnits(2),
        Epoch = 2,
        BatchSize = 4,
        Optimizer = Api.OptimizerKind.Adam,
        LearningRate = 0.01f,
        EarlyStoppingCriteria = null,
        ValidationSetFraction = null,
        Seed = 2,
    };

    [Fact]
    public void TrainsOnAnOnnxBackbone_SavesWithoutTheFile_AndLoadsIdenticallyHereAndInANewProcess()
    {
        using var dir = new TempDirectory("tk-mlnet-onnx-train-");
        string onnx = OnnxFixtures.CopyResidual(dir);
        var ml = new MLContext(seed: 1);
        var rows = MlNetFixtures.Rows(classes: 2, perClass: 6);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = MlNetFixtures.Pipeline(ml, OnnxOptions(onnx)).Fit(data);
        string[] scores = FreshProcess.Format(model.Transform(data), "Score");
        Assert.All(scores, s => Assert.Equal(2, s.Split(' ').Length));

        string path = dir.PathOf("model.zip");
        ml.Model.Save(model, data.Schema, path);
        File.Delete(onnx);
        var loaded = new MLContext().Model.Load(path, out _);
        Assert.Equal(scores, FreshProcess.Format(loaded.Transform(data), "Score"));
        Assert.Equal(scores.Take(5), FreshProcess.Outputs(path, "Score", FreshProcess.WriteImages(dir, rows.Take(5).ToList())));
    }

    [Fact]
    public void OnnxBackbonePath_ExcludesTheOtherNetworkOptions()
    {
        using var dir = new TempDirectory("tk-mlnet-onnx-opts-");
        string onnx = OnnxFixtures.CopyResidual(dir);
        var ml = new MLContext();
        var withWeights = OnnxOptions(onnx);
        withWeights.WeightsPath = "resnet18.safetensors";
        var e = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.TransferKitImageClassification(withWeights));
        Assert.Equal(nameof(withWeights.OnnxBackbonePath), e.ParamName);
        Assert.Contains("WeightsPath", e.Message, StringComparison.Ordinal);

        var missing = OnnxOptions(dir.PathOf("absent.onnx"));
        Assert.Equal(nameof(missing.OnnxBackbonePath), Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.TransferKitImageClassification(missing)).ParamName);

        var optionsAlone = MlNetFixtures.TinyOptions();
        optionsAlone.OnnxBackboneOptions = new OnnxBackboneOptions();
        Assert.Equal(nameof(optionsAlone.OnnxBackboneOptions), Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.TransferKitImageClassification(optionsAlone)).ParamName);
    }
}

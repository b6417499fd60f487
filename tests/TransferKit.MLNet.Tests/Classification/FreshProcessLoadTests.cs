using System.Globalization;
using Microsoft.ML;
using TransferKit.Samples.MlNetImageClassification;
using TransferKit.Testing;

namespace TransferKit.MLNet.Tests.Classification;

public sealed class FreshProcessLoadTests
{
    [Fact]
    public void AModelSavedHereLoadsAndPredictsIdenticallyInANewProcess()
    {
        using var dir = new TempDirectory("tk-mlnet-process-");
        var ml = new MLContext(seed: 1);
        var rows = MlNetFixtures.Rows(classes: 2, perClass: 6);
        var data = ml.Data.LoadFromEnumerable(rows);
        // The sample's pipeline shape: PredictedLabel mapped back to text in place.
        var options = MlNetFixtures.TinyOptions(epochs: 1);
        var model = ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label")
            .Append(ml.MulticlassClassification.Trainers.TransferKitImageClassification(options))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        string modelPath = dir.PathOf("model.zip");
        ml.Model.Save(model, data.Schema, modelPath);
        string imagePath = dir.PathOf("image.png");
        File.WriteAllBytes(imagePath, rows[3].Image);

        var expected = ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model).Predict(new ModelInput { Image = rows[3].Image });
        string line = RunSample("--load", modelPath, "--image", imagePath);
        Assert.Equal($"{expected.PredictedLabel}\t{string.Join(" ", expected.Score.Select(s => s.ToString("R", CultureInfo.InvariantCulture)))}", line);
    }

    private static string RunSample(params string[] args) =>
        FreshProcess.Run("MlNetImageClassification.dll", args, TimeSpan.FromSeconds(60)).Trim();
}

using System.Diagnostics;
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

    private static string RunSample(params string[] args)
    {
        // dotnet test sets DOTNET_HOST_PATH to the host that runs it; the sample's dll sits beside the tests'.
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MlNetImageClassification.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "the sample did not finish in 60 s");
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {error.Result}");
        return output.Trim();
    }
}

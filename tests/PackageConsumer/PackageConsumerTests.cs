using System.Reflection;
using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Synthetic;
using TransferKit.Testing;

namespace PackageConsumer;

/// <summary>Uses TransferKit as an application would, through the NuGet packages only.</summary>
public sealed class PackageConsumerTests
{
    [Fact]
    public void TheLoadedTransferKitIsThePackageOfThisRun()
    {
        string expected = typeof(PackageConsumerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ExpectedTransferKitVersion").Value!;
        foreach (var assembly in new[] { typeof(ImageClassifier).Assembly, typeof(TestImages).Assembly, typeof(TransferKit.MLNet.TransferKitCatalog).Assembly })
        {
            string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
            // The SDK appends "+<commit>" when it knows the commit.
            Assert.Equal(expected, version.Split('+')[0]);
        }
    }

    [Fact]
    public async Task TrainsSavesLoadsAndPredicts()
    {
        using var dir = new TempDirectory("tk-consumer-");
        var written = TestImages.WriteClassFolders(dir.PathOf("data"), ["cat", "dog"], perClass: 6, format: SyntheticImageFormat.Jpeg);
        var data = ImageFileDataset.FromClassFolders(written.Root);

        using var trainer = TinyModels.Classifier(epochs: 1).Build();
        var result = await trainer.FitAsync(data);
        Assert.Single(result.Epochs);
        Assert.True(double.IsFinite(result.Epochs[0].TrainLoss));

        string path = dir.PathOf("model.safetensors");
        trainer.Model.Save(path);
        using var model = TrainedModel.Load(path);
        Assert.Equal(["cat", "dog"], model.ClassNames);
        var prediction = model.Predict(written.Files[0]);
        Assert.Contains(prediction.Label, model.ClassNames);
        Assert.Equal(trainer.Model.Predict(written.Files[0]).Scores, prediction.Scores);
    }
}

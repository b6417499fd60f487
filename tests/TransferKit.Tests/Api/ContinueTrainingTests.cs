using TransferKit.Api;
using TransferKit.Data.Synthetic;
using TransferKit.Models;

namespace TransferKit.Tests.Api;

public sealed class ContinueTrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-continue-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TrainingContinuesFromEverySavedTensor()
    {
        var train = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 8, 24, seed: 21);
        string path = Path.Combine(_dir, "model.safetensors");
        using (var first = ImageClassifier.Create().UseBaselineCnn(new BaselineCnnOptions { Channels = [6, 12] }).WithInputSize(24)
                   .WithHead(h => h.Hidden(5)).WithTraining(o => { o.Epochs = 2; o.BatchSize = 8; o.Seed = 3; }).Build())
        {
            await first.FitAsync(train);
            first.Model.Save(path);
        }
        using var saved = TrainedModel.Load(path);
        using var again = ImageClassifier.Create().ContinueFrom(path).Freeze(TransferKit.Training.Freezing.FreezeDepth.None)
            .WithTraining(o => { o.Epochs = 1; o.BatchSize = 8; o.Seed = 4; }).Build();
        Assert.Equal(["cat", "dog"], again.ClassNames);
        foreach (var (key, t) in saved.Network.StateDict()) Assert.Equal(t.ToArray(), again.Network.StateDict()[key].ToArray());
        await again.FitAsync(train);
        Assert.NotEqual(saved.Network.StateDict()["classifier.0.weight"].ToArray(), again.Network.StateDict()["classifier.0.weight"].ToArray());
        Assert.Equal(saved.Metadata.Preprocessing, again.Model.Metadata.Preprocessing);
    }
}

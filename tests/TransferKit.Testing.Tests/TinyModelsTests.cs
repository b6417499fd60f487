using TransferKit.Api;
using TransferKit.Weights;

namespace TransferKit.Testing.Tests;

public sealed class TinyModelsTests
{
    private static Dictionary<string, float[]> State(ImageClassifierTrainer trainer) =>
        trainer.Network.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

    [Fact]
    public async Task TheTinyClassifierTrainsSavesLoadsAndPredictsTheSame()
    {
        using var dir = new TempDirectory();
        using var trainer = TinyModels.Classifier(epochs: 1).WithClasses("circle", "square").Build();
        // 3x3x3x8 + 2x8 (BN) + 3x3x8x16 + 2x16 (BN) + 16x2 + 2, as the docs state.
        Assert.Equal(1450, trainer.TrainableParameterCount);

        var result = await trainer.FitAsync(TestImages.InMemory(classes: 2, perClass: 8));
        Assert.Single(result.Epochs);
        string path = dir.PathOf("tiny.safetensors");
        trainer.Model.Save(path);

        using var loaded = TrainedModel.Load(path);
        Assert.Equal(["circle", "square"], loaded.ClassNames);
        Assert.Equal(TinyModels.InputSize, loaded.Metadata.Preprocessing.InputSize);
        for (int label = 0; label < 2; label++)
        {
            byte[] unseen = TestImages.Encode(label, index: 100);
            Assert.Equal(trainer.Model.Predict(unseen).Scores, loaded.Predict(unseen).Scores);
        }
    }

    [Fact]
    public async Task TheTinyClassifierLearnsAndIsReproducible()
    {
        // 16 images, 10 epochs: the loss measured 0.58 of the first epoch's at the end, and below 0.82 for seeds 0..3.
        var data = TestImages.InMemory(classes: 2, perClass: 8, seed: 1);
        using var first = TinyModels.Classifier(epochs: 10, seed: 1).Build();
        using var second = TinyModels.Classifier(epochs: 10, seed: 1).Build();
        var result = await first.FitAsync(data);
        await second.FitAsync(data);

        Assert.True(result.Epochs[^1].TrainLoss < 0.85 * result.Epochs[0].TrainLoss,
            $"training loss went from {result.Epochs[0].TrainLoss:F4} to {result.Epochs[^1].TrainLoss:F4}");
        var a = State(first);
        var b = State(second);
        foreach (var key in a.Keys) Assert.Equal(a[key], b[key]);
    }

    [Fact]
    public async Task TransferKeepsTheWrittenBackboneFrozenAndTrainsANewHead()
    {
        using var dir = new TempDirectory();
        string weights = TinyModels.WriteBackboneWeights(dir.PathOf("backbone.safetensors"), seed: 7);
        using var trainer = TinyModels.TransferClassifier(weights, epochs: 2).WithClasses("circle", "square", "triangle").Build();
        var before = State(trainer);
        using (var file = SafetensorsFile.Open(weights))
        {
            Assert.Equal([5, 16], file.GetInfo("classifier.weight").Shape);
            foreach (string key in before.Keys.Where(k => k.StartsWith("features.", StringComparison.Ordinal)))
            {
                using var stored = file.ReadTensor(key);
                Assert.Equal(stored.ToArray(), before[key]);
            }
        }

        await trainer.FitAsync(TestImages.InMemory(classes: 3, perClass: 4));
        var after = State(trainer);
        var backbone = before.Keys.Where(k => k.StartsWith("features.", StringComparison.Ordinal)).ToArray();
        Assert.Contains("features.1.1.running_var", backbone);
        foreach (string key in backbone) Assert.Equal(before[key], after[key]);
        var head = before.Keys.Except(backbone).ToArray();
        Assert.NotEmpty(head);
        Assert.Contains(head, key => !before[key].SequenceEqual(after[key]));
    }
}

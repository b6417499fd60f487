using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Synthetic;
using TransferKit.Models;

namespace TransferKit.Tests.Api;

public sealed class LearningRateFinderTests
{
    private const int Size = 24;
    private static readonly InMemoryImageDataset Train = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 8, Size, seed: 41);

    [Fact]
    public async Task TheSweepRecordsACurveSuggestsARateInRangeAndLeavesTheWeightsAsTheyWere()
    {
        using var trainer = ImageClassifier.Create()
            .UseBaselineCnn(new BaselineCnnOptions { Channels = [6, 12] })
            .WithInputSize(Size)
            .WithHead(h => h.Hidden(8).BatchNorm().Dropout(0.2f))
            .WithTraining(o => { o.BatchSize = 4; o.Seed = 3; })
            .WithClasses("cat", "dog")
            .Build();
        var before = trainer.Network.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        var options = new LearningRateFinderOptions { Steps = 40, Smoothing = 0.9 };

        var result = await trainer.FindLearningRateAsync(Train, options);

        Assert.NotEmpty(result.Curve);
        Assert.True(result.Curve.Count <= 40);
        Assert.Equal(1e-7, result.Curve[0].LearningRate, 12);
        for (int i = 1; i < result.Curve.Count; i++) Assert.True(result.Curve[i].LearningRate > result.Curve[i - 1].LearningRate);
        Assert.InRange(result.Suggestion, options.StartLearningRate, options.EndLearningRate);
        Assert.InRange(result.MinimumLearningRate, options.StartLearningRate / 10, options.EndLearningRate / 10);
        // From 1e-7 to 10 a fresh network diverges before the end.
        Assert.True(result.Diverged);
        foreach (var (key, t) in trainer.Network.StateDict()) Assert.Equal(before[key], t.ToArray());
        Assert.Contains("Steps", (await Assert.ThrowsAsync<ArgumentException>(() => trainer.FindLearningRateAsync(Train, new LearningRateFinderOptions { Steps = 1 }))).Message);
    }
}

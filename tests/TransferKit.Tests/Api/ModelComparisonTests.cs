using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Synthetic;
using TransferKit.Models;
using TransferKit.Weights;

namespace TransferKit.Tests.Api;

public sealed class ModelComparisonTests : IDisposable
{
    private const int Size = 24;
    private static readonly InMemoryImageDataset Train = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 8, Size, seed: 51);
    private static readonly InMemoryImageDataset Validation = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 6, Size, seed: 52);
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-compare-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ImageClassifierBuilder Candidate(int[] channels) => ImageClassifier.Create()
        .UseBaselineCnn(new BaselineCnnOptions { Channels = channels })
        .WithInputSize(Size)
        .WithTraining(o => { o.Epochs = 2; o.BatchSize = 4; o.LearningRate = 3e-3; o.Seed = 1; });

    [Fact]
    public async Task CandidatesAreRankedByAccuracyWithCostsAndSizes()
    {
        string weights = Path.Combine(_dir, "backbone.safetensors");
        using (var net = new BaselineCnn(new BaselineCnnOptions { Channels = [6, 12, 16], Classes = 5, Seed = 3 }))
            SafetensorsWriter.Write(weights, net.StateDict());
        var seen = new List<string>();
        var board = await new ModelComparison()
            .Add("scratch small", Candidate([4, 8]))
            .Add("scratch", Candidate([6, 12, 16]))
            .Add("frozen transfer", Candidate([6, 12, 16]).UsePretrainedWeights(weights).Freeze(TransferKit.Training.Freezing.FreezeDepth.Backbone))
            .RunAsync(Train, Validation, new Progress(e => seen.Add(e.Name)));

        Assert.Equal(3, board.Count);
        Assert.Equal(["scratch small", "scratch", "frozen transfer"], seen);
        for (int i = 1; i < board.Count; i++) Assert.True(board[i - 1].ValidationAccuracy >= board[i].ValidationAccuracy);
        var frozen = board.Single(e => e.Name == "frozen transfer");
        var scratch = board.Single(e => e.Name == "scratch");
        Assert.Equal(scratch.TotalParameters, frozen.TotalParameters);
        Assert.True(frozen.TrainableParameters < scratch.TrainableParameters);
        Assert.Equal(scratch.TotalParameters, scratch.TrainableParameters);
        Assert.True(board.Single(e => e.Name == "scratch small").ModelFileBytes < scratch.ModelFileBytes);
        Assert.All(board, e =>
        {
            Assert.InRange(e.ValidationAccuracy, 0, 1);
            Assert.True(e.ModelFileBytes > e.TotalParameters * sizeof(float));
            Assert.True(e.InferenceMillisecondsPerImage > 0);
            Assert.True(e.TrainTime > TimeSpan.Zero);
        });
        string table = board.ToString();
        Assert.Contains("val acc", table);
        Assert.Equal(2 + 3, table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("1", table.Split('\n')[2].TrimStart());
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), "transferkit-compare-*"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => new ModelComparison().RunAsync(Train, Validation));
    }

    private sealed class Progress(Action<LeaderboardEntry> report) : IProgress<LeaderboardEntry>
    {
        public void Report(LeaderboardEntry value) => report(value);
    }
}

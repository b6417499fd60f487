using TransferKit.Api;
using TransferKit.Data.Synthetic;
using TransferKit.Models;
using TransferKit.Training.Callbacks;
using TransferKit.Training.Checkpoints;
using TransferKit.Training.EarlyStopping;

namespace TransferKit.Tests.Api;

/// <summary>Epochs count from 1 in the API, the log, the early-stopping result and the checkpoints alike.</summary>
public sealed class EpochNumberingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-epochs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class Recorder : ITrainingCallback
    {
        public List<int> Begun { get; } = [];
        public HashSet<int> Batches { get; } = [];

        public void OnEpochBegin(EpochStart epoch) => Begun.Add(epoch.Epoch);

        public void OnBatchEnd(TrainingProgress progress) => Batches.Add(progress.Epoch);
    }

    [Fact]
    public async Task TheApiTheLogAndTheCheckpointsNumberEpochsFromOne()
    {
        var data = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 6, 16, seed: 3);
        var log = new StringWriter();
        var recorder = new Recorder();
        using var trainer = ImageClassifier.Create()
            .UseBaselineCnn(new BaselineCnnOptions { Channels = [4, 8] })
            .WithInputSize(16)
            .LogToConsole(false)
            .WithCallback(new TextLogCallback(log))
            .WithCallback(recorder)
            .WithTraining(o =>
            {
                o.Epochs = 3;
                o.BatchSize = 6;
                o.LearningRate = 1e-2;
                o.CheckpointDirectory = _dir;
                o.EarlyStopping = new EarlyStoppingOptions { Metric = MonitoredMetric.ValidationLoss, Patience = 5 };
            })
            .WithClasses("cat", "dog")
            .Build();

        var result = await trainer.FitAsync(data, data);

        Assert.Equal([1, 2, 3], result.Epochs.Select(e => e.Epoch));
        Assert.Equal([1, 2, 3], recorder.Begun);
        Assert.Equal([1, 2, 3], recorder.Batches.Order());
        int best = Assert.NotNull(result.BestEpoch);
        Assert.InRange(best, 1, 3);
        Assert.Same(result.Epochs[best - 1], result.Best);
        string text = log.ToString();
        Assert.Contains("epoch 1/3: train loss", text);
        Assert.Contains("epoch 3/3: train loss", text);
        Assert.DoesNotContain("epoch 0", text);
        Assert.Contains($"best epoch {best}", text);
        Assert.Contains($"best epoch {best}", result.ToString());
        using var checkpoint = TrainingCheckpoint.Read(TrainingCheckpoint.Latest(_dir)!);
        Assert.Equal([1, 2, 3], checkpoint.Metadata.History.Select(e => e.Epoch));
        Assert.Equal(best, checkpoint.Metadata.BestEpoch);
    }

    [Fact]
    public void AVersionOneCheckpointsZeroBasedHistoryIsReadAsOneBased()
    {
        static EpochResult Epoch(int e) => new(e, 1, 0.5, 1, 0.5, 0.01, TimeSpan.FromSeconds(1), 10);
        var old = new CheckpointMetadata
        {
            Version = 1, EpochsCompleted = 2, StepsPerEpoch = 1, Seed = 0, BatchSize = 1, LearningRate = 0.1, FrozenUnits = 0,
            Optimizer = "Adam", ClassNames = ["a", "b"], History = [Epoch(0), Epoch(1)], BestEpoch = 0,
        };

        var upgraded = old.Upgraded();

        Assert.Equal(CheckpointMetadata.CurrentVersion, upgraded.Version);
        Assert.Equal([1, 2], upgraded.History.Select(e => e.Epoch));
        Assert.Equal(1, upgraded.BestEpoch);
        Assert.Equal(2, upgraded.EpochsCompleted);
        Assert.Same(upgraded, upgraded.Upgraded());
    }
}

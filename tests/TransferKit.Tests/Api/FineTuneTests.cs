using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Synthetic;
using TransferKit.Models;
using TransferKit.Training.Callbacks;
using TransferKit.Training.Freezing;
using TransferKit.Weights;

namespace TransferKit.Tests.Api;

public sealed class FineTuneTests : IDisposable
{
    private const int Size = 24;
    private static readonly BaselineCnnOptions Backbone = new() { Channels = [6, 12, 16] };
    private static readonly InMemoryImageDataset Train = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 8, Size, seed: 31);
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-finetune-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Dictionary<string, float[]> State(ImageClassifierTrainer t) => TrainerState.Of(t);

    [Fact]
    public async Task PhaseOneTrainsOnlyTheHeadAndPhaseTwoTheUnfrozenUnitsAtTheLowerRate()
    {
        string weights = Path.Combine(_dir, "backbone.safetensors");
        using (var net = new BaselineCnn(new BaselineCnnOptions { Channels = Backbone.Channels, Classes = 5, Seed = 3 }))
            SafetensorsWriter.Write(weights, net.StateDict());
        var afterPhase1 = new Dictionary<string, float[]>();
        ImageClassifierTrainer? self = null;
        var snapshot = new AtEpoch(e => { if (e == 1) foreach (var (k, v) in State(self!)) afterPhase1[k] = v; });
        using var trainer = ImageClassifier.Create()
            .UseBaselineCnn(Backbone)
            .UsePretrainedWeights(weights)
            .WithInputSize(Size)
            .WithTraining(o => { o.BatchSize = 4; o.LearningRate = 3e-3; o.Seed = 7; o.CheckpointDirectory = Path.Combine(_dir, "ck"); })
            .WithCallback(snapshot)
            .WithClasses("cat", "dog")
            .Build();
        self = trainer;
        var before = State(trainer);

        var result = await trainer.FineTuneAsync(Train, Train, frozenEpochs: 2, unfrozenEpochs: 2, FreezeDepth.TrainLastUnits(1));
        var after = State(trainer);

        Assert.Equal(2, result.Frozen.Epochs.Count);
        Assert.Equal(2, result.Unfrozen.Epochs.Count);
        Assert.Equal(4, result.Epochs.Count);
        Assert.Equal(3e-4, result.UnfrozenLearningRate, 12);
        Assert.Equal(3e-4, result.Unfrozen.Last!.LearningRate, 6);
        Assert.Equal(2, trainer.FreezePlan.FrozenUnits);
        const string unfrozenUnit = "features.2.0.weight", frozenUnit = "features.0.0.weight";
        string head = trainer.Network.HeadName + ".";
        // Phase 1: the whole backbone bit-identical, the head trained.
        foreach (var key in before.Keys.Where(k => !k.StartsWith(head, StringComparison.Ordinal))) Assert.Equal(before[key], afterPhase1[key]);
        Assert.Contains(before.Keys, k => k.StartsWith(head, StringComparison.Ordinal) && !before[k].SequenceEqual(afterPhase1[k]));
        // Phase 2: the unfrozen unit changes, the still-frozen ones do not.
        Assert.NotEqual(afterPhase1[unfrozenUnit], after[unfrozenUnit]);
        Assert.Equal(afterPhase1[frozenUnit], after[frozenUnit]);
        Assert.NotNull(TransferKit.Training.Checkpoints.TrainingCheckpoint.Latest(Path.Combine(_dir, "ck", "unfrozen")));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => trainer.FineTuneAsync(Train, null, 0, 1, FreezeDepth.None));
    }

    private sealed class AtEpoch(Action<int> action) : ITrainingCallback
    {
        private int _count;

        public void OnEpochEnd(EpochResult result) => action(_count++);
    }
}

using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Synthetic;
using TransferKit.Models;
using TransferKit.Training.Callbacks;
using TransferKit.Training.Checkpoints;
using TransferKit.Training.EarlyStopping;
using TransferKit.Weights;

namespace TransferKit.Tests.Api;

public sealed class CheckpointResumeTests : IDisposable
{
    private const int Size = 24;
    private static readonly BaselineCnnOptions Backbone = new() { Channels = [6, 12, 16] };
    private static readonly InMemoryImageDataset Train = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 8, Size, seed: 21);
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-resume-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string BackboneWeights() => TrainerState.BackboneWeights(_dir, Backbone.Channels);

    private ImageClassifierTrainer Build(bool cache, string? checkpoints, ITrainingCallback? callback = null, int seed = 5,
        double learningRate = 3e-3, int frozenUnits = 2)
    {
        var builder = ImageClassifier.Create()
            .UseBaselineCnn(Backbone)
            .UsePretrainedWeights(BackboneWeights())
            .FreezeUnits(frozenUnits)
            .WithInputSize(Size)
            .WithHead(h => h.Hidden(8).BatchNorm().Dropout(0.3f))
            .WithTraining(o =>
            {
                o.Epochs = 4;
                o.BatchSize = 4;
                o.LearningRate = learningRate;
                o.Seed = seed;
                o.UseActivationCache = cache;
                o.CheckpointDirectory = checkpoints;
                o.EarlyStopping = new EarlyStoppingOptions { Metric = MonitoredMetric.ValidationLoss, Patience = 10 };
            })
            .WithClasses("cat", "dog");
        if (callback is not null) builder.WithCallback(callback);
        return builder.Build();
    }

    private static Dictionary<string, float[]> State(ImageClassifierTrainer t) => TrainerState.Of(t);

    [Fact]
    public async Task AFreshRunReplacesAnEarlierRunsCheckpoints_SoAResumeNeverPicksThemUp()
    {
        string dir = Path.Combine(_dir, "reused-folder");
        using (var earlier = Build(cache: true, dir))
            await earlier.FitAsync(Train, Train);
        Assert.Equal([TrainingCheckpoint.FileName(3), TrainingCheckpoint.FileName(4)], TrainingCheckpoint.All(dir).Select(Path.GetFileName));

        using var cts = new CancellationTokenSource();
        using (var fresh = Build(cache: true, dir, new AtEpochEnd(r => { if (r.Epoch == 1) cts.Cancel(); })))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fresh.FitAsync(Train, Train, null, cts.Token));

        // Only the new run's first epoch: the earlier run's epochs 3 and 4 would have outranked it and pruned it.
        Assert.Equal(TrainingCheckpoint.FileName(1), Path.GetFileName(Assert.Single(TrainingCheckpoint.All(dir))));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ARunInterruptedAfterTwoEpochsAndResumedEndsBitIdentical(bool cache)
    {
        using var whole = Build(cache, checkpoints: null);
        var expected = await whole.FitAsync(Train, Train);

        string dir = Path.Combine(_dir, "checkpoints");
        using var cts = new CancellationTokenSource();
        using (var interrupted = Build(cache, dir, new AtEpochEnd(r => { if (r.Epoch == 2) cts.Cancel(); })))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => interrupted.FitAsync(Train, Train, null, cts.Token));
        string latest = TrainingCheckpoint.Latest(dir)!;
        Assert.EndsWith(TrainingCheckpoint.FileName(2), latest);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));

        using var resumed = Build(cache, dir);
        var result = await resumed.ResumeAsync(latest, Train, Train);
        Assert.Equal(4, result.Epochs.Count);
        Assert.Equal(expected.BestEpoch, result.BestEpoch);
        Assert.Equal(expected.Last!.TrainLoss, result.Last!.TrainLoss);
        var a = State(whole);
        var b = State(resumed);
        foreach (var key in a.Keys) Assert.Equal(a[key], b[key]);
        // Two checkpoints are kept by default: epochs 3 and 4 of the resumed run.
        Assert.Equal([TrainingCheckpoint.FileName(3), TrainingCheckpoint.FileName(4)],
            Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task ANonFiniteLossStopsNamingEpochAndBatchAndLeavesTheLastGoodCheckpoint()
    {
        string dir = Path.Combine(_dir, "nan");
        ImageClassifierTrainer? trainer = null;
        // Poisons one head weight after the second epoch, as a diverging run would.
        using var poisoned = Build(cache: true, dir, new AtEpochEnd(r =>
        {
            if (r.Epoch == 2) trainer!.Network.Head.NamedParameters().First().Value.Value.Span[0] = float.NaN;
        }));
        trainer = poisoned;
        var e = await Assert.ThrowsAsync<NonFiniteLossException>(() => poisoned.FitAsync(Train, Train));
        Assert.Equal(3, e.Epoch);
        Assert.Equal(0, e.Batch);
        Assert.Contains("epoch 3, batch 1", e.Message);
        string latest = TrainingCheckpoint.Latest(dir)!;
        Assert.EndsWith(TrainingCheckpoint.FileName(2), latest);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        using var checkpoint = TrainingCheckpoint.Read(latest);
        // The checkpoint was written before the callback poisoned the weight.
        Assert.All(checkpoint.Model.Values, t => Assert.True(t.ToArray().All(float.IsFinite)));
        Assert.Equal(2, checkpoint.Metadata.History.Count);
        Assert.NotEmpty(checkpoint.Optimizer.Buffers);
        Assert.NotNull(checkpoint.BestWeights);
    }

    [Fact]
    public async Task AtAHugeLearningRateTheDivergedEpochWritesNoCheckpoint_SoLatestIsTheLastFiniteOne()
    {
        string dir = Path.Combine(_dir, "huge-lr");
        // Two SGD steps per epoch at 1e20: the first epoch's last step overflows a BatchNorm weight while its loss is still
        // finite, so only the check before writing catches it (the loss guard would fire one epoch later).
        using var trainer = ImageClassifier.Create()
            .UseBaselineCnn(Backbone)
            .FromScratch()
            .WithInputSize(Size)
            .WithTraining(o =>
            {
                o.Epochs = 3;
                o.BatchSize = Train.Count / 2;
                o.LearningRate = 1e20;
                o.Optimizer = OptimizerKind.Sgd;
                o.CheckpointDirectory = dir;
            })
            .WithClasses("cat", "dog")
            .Build();
        var e = await Assert.ThrowsAsync<NonFiniteParameterException>(() => trainer.FitAsync(Train, Train));
        Assert.Equal(1, e.EpochsCompleted);
        Assert.Null(TrainingCheckpoint.Latest(dir));
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public async Task ACheckpointOfAnotherRunIsRefusedByName()
    {
        string dir = Path.Combine(_dir, "other");
        using (var first = Build(cache: true, dir))
        {
            await first.FitAsync(Train, Train);
        }
        using var otherSeed = Build(cache: true, checkpoints: null, seed: 6);
        var e = await Assert.ThrowsAsync<CheckpointException>(() => otherSeed.ResumeAsync(TrainingCheckpoint.Latest(dir)!, Train, Train));
        Assert.Contains("seed", e.Message);
        string model = Path.Combine(_dir, "model.safetensors");
        SafetensorsWriter.Write(model, otherSeed.Network.StateDict());
        Assert.Contains("no checkpoint metadata", Assert.Throws<CheckpointException>(() => TrainingCheckpoint.Read(model)).Message);
    }

    [Fact]
    public async Task AResumeWithAnotherLearningRateOrFreezeIsRefusedNamingEachDifference_AndTrainsNothing()
    {
        string dir = Path.Combine(_dir, "changed");
        using (var first = Build(cache: true, dir)) await first.FitAsync(Train, Train);
        string latest = TrainingCheckpoint.Latest(dir)!;
        using var changed = Build(cache: true, checkpoints: null, learningRate: 0.01, frozenUnits: 0);
        var before = State(changed);

        var e = await Assert.ThrowsAsync<CheckpointException>(() => changed.ResumeAsync(latest, Train, Train));

        Assert.Equal(latest, e.FilePath);
        Assert.Contains("learning rate (TrainingOptions.LearningRate): 0.003 in the checkpoint, 0.01 requested", e.Message);
        Assert.Contains("frozen units (the freeze depth): 2 of 3 in the checkpoint, 0 of 3 requested", e.Message);
        Assert.DoesNotContain("seed", e.Message);
        // The trainer is left as configured: the freeze the caller asked for, and untouched weights.
        Assert.Equal(0, changed.FreezePlan.FrozenUnits);
        var after = State(changed);
        foreach (var key in before.Keys) Assert.Equal(before[key], after[key]);
    }

    private sealed class AtEpochEnd(Action<EpochResult> action) : ITrainingCallback
    {
        public void OnEpochEnd(EpochResult result) => action(result);
    }
}

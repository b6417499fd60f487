using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Synthetic;
using TransferKit.Models;
using TransferKit.Training.Callbacks;
using TransferKit.Training.Checkpoints;
using TransferKit.Training.EarlyStopping;
using TransferKit.Training.Freezing;
using TransferKit.Weights;

namespace TransferKit.Tests.Api;

public sealed class FineTuneResumeTests : IDisposable
{
    private const int Size = 24;
    private const int FrozenEpochs = 2, UnfrozenEpochs = 2, BatchesPerEpoch = 4;
    private static readonly BaselineCnnOptions Backbone = new() { Channels = [6, 12, 16] };
    private static readonly FreezeDepth Unfreeze = FreezeDepth.TrainLastUnits(1);
    // 16 images in batches of 4: BatchesPerEpoch.
    private static readonly InMemoryImageDataset Train = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 8, Size, seed: 41);
    private static readonly InMemoryImageDataset Validation = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 3, Size, seed: 42);
    private static readonly EarlyStoppingOptions Patient = new() { Metric = MonitoredMetric.ValidationLoss, Patience = 10 };
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-ftresume-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public enum Interruption
    {
        /// <summary>After phase 1's first epoch (its checkpoint is the latest).</summary>
        InPhaseOne,

        /// <summary>In phase 2's first epoch, before it wrote a checkpoint: phase 1 is finished and goes straight to phase 2.</summary>
        AtPhaseTwoStart,

        /// <summary>After phase 2's first epoch.</summary>
        InPhaseTwo,
    }

    private string BackboneWeights() => TrainerState.BackboneWeights(_dir, Backbone.Channels);

    private ImageClassifierTrainer Build(string? checkpoints, bool cache = true, ITrainingCallback? callback = null, int seed = 5,
        EarlyStoppingOptions? earlyStopping = null)
    {
        var builder = ImageClassifier.Create()
            .UseBaselineCnn(Backbone)
            .UsePretrainedWeights(BackboneWeights())
            .WithInputSize(Size)
            .WithHead(h => h.Hidden(8).BatchNorm().Dropout(0.3f))
            .WithTraining(o =>
            {
                o.BatchSize = 4;
                o.LearningRate = 3e-3;
                o.Seed = seed;
                o.UseActivationCache = cache;
                o.CheckpointDirectory = checkpoints;
                o.EarlyStopping = earlyStopping ?? Patient;
            })
            .WithClasses("cat", "dog");
        if (callback is not null) builder.WithCallback(callback);
        return builder.Build();
    }

    private static Task<FineTuneResult> FineTune(ImageClassifierTrainer t, int frozenEpochs = FrozenEpochs, int unfrozenEpochs = UnfrozenEpochs,
        CancellationToken ct = default) =>
        t.FineTuneAsync(Train, Validation, frozenEpochs, unfrozenEpochs, Unfreeze, progress: null, cancellationToken: ct);

    private static Task<FineTuneResult> Resume(ImageClassifierTrainer t, string dir, int frozenEpochs = FrozenEpochs, int unfrozenEpochs = UnfrozenEpochs,
        FreezeDepth? unfreeze = null, double divisor = 10) =>
        t.ResumeFineTuneAsync(dir, Train, Validation, frozenEpochs, unfrozenEpochs, unfreeze ?? Unfreeze, divisor);

    private static Dictionary<string, float[]> State(ImageClassifierTrainer t) => TrainerState.Of(t);

    /// <summary>Everything an epoch measured except its timing.</summary>
    private static object[] Metrics(TrainingResult r) =>
        [.. r.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy, e.LearningRate))];

    private static void AssertSameRun(FineTuneResult expected, ImageClassifierTrainer expectedTrainer, FineTuneResult actual, ImageClassifierTrainer actualTrainer)
    {
        Assert.Equal(Metrics(expected.Frozen), Metrics(actual.Frozen));
        Assert.Equal(Metrics(expected.Unfrozen), Metrics(actual.Unfrozen));
        Assert.Equal(expected.Frozen.BestEpoch, actual.Frozen.BestEpoch);
        Assert.Equal(expected.Unfrozen.BestEpoch, actual.Unfrozen.BestEpoch);
        Assert.Equal(expected.Frozen.StoppedEarly, actual.Frozen.StoppedEarly);
        Assert.Equal(expected.Unfrozen.StoppedEarly, actual.Unfrozen.StoppedEarly);
        Assert.Equal(expected.Frozen.ValidationReport!.Accuracy, actual.Frozen.ValidationReport!.Accuracy);
        Assert.Equal(expected.UnfrozenPlan, actual.UnfrozenPlan);
        Assert.Equal(expected.UnfrozenLearningRate, actual.UnfrozenLearningRate);
        Assert.Equal(expectedTrainer.FreezePlan, actualTrainer.FreezePlan);
        var a = State(expectedTrainer);
        var b = State(actualTrainer);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var key in a.Keys) Assert.Equal(a[key], b[key]);
    }

    [Fact]
    public async Task AFreshFineTuneInAFolderOfAnEarlierOne_ResumesItsOwnPhases()
    {
        string dir = Path.Combine(_dir, "reused");
        using (var earlier = Build(dir, cache: true))
            await FineTune(earlier);
        Assert.NotNull(TrainingCheckpoint.Latest(Path.Combine(dir, "unfrozen")));

        using var whole = Build(checkpoints: null, cache: true);
        var expected = await FineTune(whole);
        using var cts = new CancellationTokenSource();
        using (var interrupted = Build(dir, cache: true, new Counter(epochs: 1, batches: null, cts)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FineTune(interrupted, ct: cts.Token));

        // The earlier run's phase 2 would otherwise pass for this run's and be continued from its last epoch.
        Assert.Null(TrainingCheckpoint.Latest(Path.Combine(dir, "unfrozen")));
        using var resumed = Build(dir, cache: true);
        AssertSameRun(expected, whole, await Resume(resumed, dir), resumed);
    }

    [Theory]
    [InlineData(Interruption.InPhaseOne, true)]
    [InlineData(Interruption.InPhaseOne, false)]
    [InlineData(Interruption.AtPhaseTwoStart, true)]
    [InlineData(Interruption.InPhaseTwo, true)]
    [InlineData(Interruption.InPhaseTwo, false)]
    public async Task AnInterruptedFineTuneResumedEndsBitIdenticalWithTheSameHistories(Interruption interruption, bool cache)
    {
        using var whole = Build(checkpoints: null, cache);
        var expected = await FineTune(whole);

        string dir = Path.Combine(_dir, "run");
        using var cts = new CancellationTokenSource();
        var stop = interruption switch
        {
            Interruption.InPhaseOne => new Counter(epochs: 1, batches: null, cts),
            Interruption.AtPhaseTwoStart => new Counter(epochs: null, batches: FrozenEpochs * BatchesPerEpoch + 2, cts),
            _ => new Counter(epochs: FrozenEpochs + 1, batches: null, cts),
        };
        using (var interrupted = Build(dir, cache, stop))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FineTune(interrupted, ct: cts.Token));
        bool phaseTwoCheckpointed = interruption == Interruption.InPhaseTwo;
        Assert.Equal(phaseTwoCheckpointed, TrainingCheckpoint.Latest(Path.Combine(dir, "unfrozen")) is not null);
        Assert.EndsWith(TrainingCheckpoint.FileName(interruption == Interruption.InPhaseOne ? 1 : FrozenEpochs), TrainingCheckpoint.Latest(Path.Combine(dir, "frozen")));

        var trained = new Counter(epochs: null, batches: null, null);
        using var resumed = Build(dir, cache, trained);
        var result = await Resume(resumed, dir);

        AssertSameRun(expected, whole, result, resumed);
        // Only the missing epochs were trained again.
        int done = interruption switch { Interruption.InPhaseOne => 1, Interruption.AtPhaseTwoStart => FrozenEpochs, _ => FrozenEpochs + 1 };
        Assert.Equal(FrozenEpochs + UnfrozenEpochs - done, trained.Epochs);
        using var last = TrainingCheckpoint.Read(TrainingCheckpoint.Latest(Path.Combine(dir, "unfrozen"))!);
        Assert.Equal(("unfrozen", FrozenEpochs, UnfrozenEpochs), (last.Metadata.FineTunePhase, last.Metadata.EpochOffset, last.Metadata.EpochsCompleted));
    }

    [Fact]
    public async Task APhaseOneThatStoppedEarlyCountsAsFinishedAndPhaseTwoResumesAtItsOffset()
    {
        // Nothing improves by 10 after the first epoch: each phase stops after its second epoch, short of its 3.
        var impatient = new EarlyStoppingOptions { Metric = MonitoredMetric.ValidationLoss, Patience = 1, MinDelta = 10 };
        using var whole = Build(checkpoints: null, earlyStopping: impatient);
        var expected = await FineTune(whole, frozenEpochs: 3, unfrozenEpochs: 3);
        Assert.True(expected.Frozen.StoppedEarly);
        Assert.Equal(2, expected.Frozen.Epochs.Count);

        string dir = Path.Combine(_dir, "early");
        using var cts = new CancellationTokenSource();
        using (var interrupted = Build(dir, callback: new Counter(epochs: 3, batches: null, cts), earlyStopping: impatient))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FineTune(interrupted, frozenEpochs: 3, unfrozenEpochs: 3, ct: cts.Token));

        using var resumed = Build(dir, earlyStopping: impatient);
        var result = await Resume(resumed, dir, frozenEpochs: 3, unfrozenEpochs: 3);
        AssertSameRun(expected, whole, result, resumed);
    }

    [Fact]
    public async Task ResumingAFinishedFineTuneTrainsNothingAndReturnsItsResult()
    {
        string dir = Path.Combine(_dir, "done");
        using var whole = Build(dir);
        var expected = await FineTune(whole);
        var files = Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var times = files.Select(File.GetLastWriteTimeUtc).ToArray();

        var trained = new Counter(epochs: null, batches: null, null);
        using var resumed = Build(dir, callback: trained);
        var result = await Resume(resumed, dir);

        AssertSameRun(expected, whole, result, resumed);
        Assert.Equal(0, trained.Epochs);
        Assert.Equal(0, trained.Batches);
        Assert.Equal(files, Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(times, files.Select(File.GetLastWriteTimeUtc).ToArray());
    }

    [Fact]
    public async Task CheckpointsOfAnotherConfigurationAreRefusedNamingTheFileAndTheReason()
    {
        string dir = Path.Combine(_dir, "other");
        using (var first = Build(dir)) await FineTune(first);
        string phase1 = TrainingCheckpoint.Latest(Path.Combine(dir, "frozen"))!, phase2 = TrainingCheckpoint.Latest(Path.Combine(dir, "unfrozen"))!;
        using var trainer = Build(checkpoints: null);

        var e = await Assert.ThrowsAsync<CheckpointException>(() => Resume(trainer, dir, unfreeze: FreezeDepth.TrainLastUnits(2)));
        Assert.Equal(phase2, e.FilePath);
        Assert.Contains("frozen units (the 'unfrozen' phase with unfreeze = last 2 units trained): 2 of ", e.Message);
        Assert.Contains("in the checkpoint, 1 of ", e.Message);

        e = await Assert.ThrowsAsync<CheckpointException>(() => Resume(trainer, dir, divisor: 5));
        Assert.Equal(phase2, e.FilePath);
        Assert.Contains("learning rate", e.Message);

        e = await Assert.ThrowsAsync<CheckpointException>(() => Resume(trainer, dir, frozenEpochs: 3));
        Assert.Equal(phase2, e.FilePath);
        Assert.Contains("frozenEpochs = 3", e.Message);

        e = await Assert.ThrowsAsync<CheckpointException>(() => Resume(trainer, dir, unfrozenEpochs: 1));
        Assert.Contains("unfrozenEpochs = 1", e.Message);

        using var otherSeed = Build(checkpoints: null, seed: 6);
        e = await Assert.ThrowsAsync<CheckpointException>(() => Resume(otherSeed, dir));
        Assert.Equal(phase1, e.FilePath);
        Assert.Contains("seed", e.Message);

        // A plain resume of a fine-tune checkpoint would run phase 2 with the wrong epochs and data order.
        e = await Assert.ThrowsAsync<CheckpointException>(() => trainer.ResumeAsync(phase2, Train, Validation));
        Assert.Contains(nameof(ImageClassifierTrainer.ResumeFineTuneAsync), e.Message);
    }

    [Fact]
    public async Task AFolderWithoutFineTuneCheckpointsIsATypedErrorNamingIt()
    {
        using var trainer = Build(checkpoints: null);
        string empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        var e = await Assert.ThrowsAsync<CheckpointException>(() => Resume(trainer, empty));
        Assert.Equal(empty, e.FilePath);
        Assert.Contains("no fine-tuning checkpoints", e.Message);
        string missing = Path.Combine(_dir, "missing");
        Assert.Equal(missing, (await Assert.ThrowsAsync<CheckpointException>(() => Resume(trainer, missing))).FilePath);

        // Phase 2's checkpoints alone cannot rebuild phase 1's result.
        string dir = Path.Combine(_dir, "orphan");
        using (var first = Build(dir)) await FineTune(first);
        Directory.Delete(Path.Combine(dir, "frozen"), recursive: true);
        e = await Assert.ThrowsAsync<CheckpointException>(() => Resume(trainer, dir));
        Assert.Equal(Path.Combine(dir, "frozen"), e.FilePath);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Resume(trainer, dir, unfrozenEpochs: 0));
    }

    /// <summary>Counts finished epochs and training batches over both phases; cancels when a count is reached.</summary>
    private sealed class Counter(int? epochs, int? batches, CancellationTokenSource? cancel) : ITrainingCallback
    {
        public int Epochs { get; private set; }

        public int Batches { get; private set; }

        public void OnEpochEnd(EpochResult result)
        {
            if (++Epochs == epochs) cancel!.Cancel();
        }

        public void OnBatchEnd(TrainingProgress progress)
        {
            if (progress.Phase == TrainingPhase.Training && ++Batches == batches) cancel!.Cancel();
        }
    }
}

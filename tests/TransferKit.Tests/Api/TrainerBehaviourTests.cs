using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Data.Synthetic;
using TransferKit.Models;
using TransferKit.Training.Caching;
using TransferKit.Training.Callbacks;
using TransferKit.Training.EarlyStopping;
using TransferKit.Weights;

namespace TransferKit.Tests.Api;

public sealed class TrainerBehaviourTests : IDisposable
{
    private const int Size = 24;
    private static readonly BaselineCnnOptions Backbone = new() { Channels = [6, 12, 16] };
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-trainer-").FullName;
    private static readonly InMemoryImageDataset Train = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 12, Size, seed: 11);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string RandomBackboneWeights()
    {
        using var net = new BaselineCnn(new BaselineCnnOptions { Channels = Backbone.Channels, Classes = 5, Seed = 3 });
        var random = new Random(4);
        foreach (var (key, t) in net.StateDict())
        {
            if (!key.Contains("running", StringComparison.Ordinal)) continue;
            var s = t.Span;
            for (int i = 0; i < s.Length; i++) s[i] = key.EndsWith("var", StringComparison.Ordinal) ? 0.5f + (float)random.NextDouble() : (float)random.NextDouble() - 0.5f;
        }
        string path = Path.Combine(_dir, "backbone.safetensors");
        SafetensorsWriter.Write(path, net.StateDict());
        return path;
    }

    private ImageClassifierBuilder Transfer(Action<TrainingOptions>? more = null) => ImageClassifier.Create()
        .UseBaselineCnn(Backbone)
        .UsePretrainedWeights(RandomBackboneWeights())
        .WithInputSize(Size)
        .WithHead(h => h.Hidden(8).BatchNorm().Dropout(0.2f))
        .WithTraining(o =>
        {
            o.Epochs = 3;
            o.BatchSize = 8;
            o.LearningRate = 3e-3;
            o.Seed = 5;
            more?.Invoke(o);
        });

    private static Dictionary<string, float[]> State(ImageClassifierTrainer t) => TrainerState.Of(t);

    [Fact]
    public async Task FrozenParametersAndBatchNormStatisticsAreBitIdenticalAfterTraining()
    {
        using var trainer = Transfer().FreezeUnits(2).WithClasses("cat", "dog").Build();
        var frozenKeys = trainer.Network.StateDict().Keys.Where(k => k.StartsWith("features.0.", StringComparison.Ordinal) || k.StartsWith("features.1.", StringComparison.Ordinal)).ToArray();
        var before = State(trainer);
        await trainer.FitAsync(Train);
        var after = State(trainer);
        Assert.NotEmpty(frozenKeys);
        foreach (var key in frozenKeys) Assert.Equal(before[key], after[key]);
        Assert.NotEqual(before["features.2.0.weight"], after["features.2.0.weight"]);
        Assert.NotEqual(before["features.2.1.running_mean"], after["features.2.1.running_mean"]);
    }

    [Fact]
    public async Task TrainingFromTheCacheGivesTheSameWeightsAsRecomputing()
    {
        using var cached = Transfer().FreezeUnits(2).WithClasses("cat", "dog").Build();
        using var recomputed = Transfer(o => o.UseActivationCache = false).FreezeUnits(2).WithClasses("cat", "dog").Build();
        await cached.FitAsync(Train);
        await recomputed.FitAsync(Train);
        Assert.StartsWith("in-memory cache", cached.CacheDecision);
        Assert.StartsWith("off", recomputed.CacheDecision);
        var a = State(cached);
        var b = State(recomputed);
        foreach (var key in a.Keys) NumericAssert.Close(b[key], a[key], Tolerances.CachedTrainingRelative, Tolerances.GoldenAbsolute, key);
    }

    [Fact]
    public async Task TheSameSeedGivesBitIdenticalWeights()
    {
        using var first = Transfer(o => o.UseActivationCache = false).TrainLastUnits(1).WithClasses("cat", "dog").Build();
        using var second = Transfer(o => o.UseActivationCache = false).TrainLastUnits(1).WithClasses("cat", "dog").Build();
        await first.FitAsync(Train);
        await second.FitAsync(Train);
        var a = State(first);
        var b = State(second);
        foreach (var key in a.Keys) Assert.Equal(a[key], b[key]);
    }

    [Fact]
    public async Task SavedModelPredictsTheSameAndIsSafeToShareAcrossThreads()
    {
        using var trainer = Transfer().WithClasses("cat", "dog").Build();
        await trainer.FitAsync(Train);
        string path = Path.Combine(_dir, "model.safetensors");
        trainer.Model.Save(path);
        using var model = TrainedModel.Load(path);

        var images = Enumerable.Range(0, 8).Select(i => JpegEncoder.Encode(SyntheticImageTask.CatsAndDogs.Render(i % 2, 40, 30, 900 + i))).ToArray();
        byte[] corrupt = images[0][..(images[0].Length / 2)];
        var expected = images.Select(bytes => trainer.Model.Predict(bytes)).ToArray();
        for (int i = 0; i < images.Length; i++) Assert.Equal(expected[i].Scores, model.Predict(images[i]).Scores);

        var failures = 0;
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, thread =>
        {
            for (int k = 0; k < 200; k++)
            {
                int i = (thread * 7 + k) % (images.Length + 1);
                if (i == images.Length)
                {
                    Assert.Throws<ImageDecodeException>(() => model.Predict(corrupt, "corrupt.jpg"));
                    Interlocked.Increment(ref failures);
                    continue;
                }
                Assert.Equal(expected[i].Scores, model.Predict(images[i]).Scores);
            }
        });
        Assert.True(failures > 0);
        Assert.Equal(["cat", "dog"], model.ClassNames);
        Assert.Equal(2, expected[0].Top(2).Count);
    }

    [Fact]
    public async Task SigmoidHeadTrainsATwoClassTask()
    {
        using var trainer = Transfer().WithHead(HeadSpec.Pooled().WithOutput(HeadOutput.Sigmoid)).WithClasses("cat", "dog").Build();
        var result = await trainer.FitAsync(Train, Train);
        Assert.Equal(16 + 1, trainer.TrainableParameterCount);
        Assert.Equal(3, result.Epochs.Count);
        Assert.NotNull(result.Last!.ValidationAccuracy);
        Assert.NotNull(trainer.ValidationReport!.RocAuc);
        var p = trainer.Model.Predict(JpegEncoder.Encode(SyntheticImageTask.CatsAndDogs.Render(1, 24, 24, 77)));
        Assert.Equal(1f, p.Scores.Sum(), 5);
    }

    [Fact]
    public void MobileNetV2CountsMatchTheSeedArticle()
    {
        // Keras MobileNetV2 without top: 2,223,872 trainable parameters and 34,112 BatchNorm statistics; GAP + Dense(1, sigmoid) adds 1,281.
        using var trainer = ImageClassifier.Create()
            .UseArchitecture(Architectures.MobileNetV2).FromScratch()
            .WithHead(HeadSpec.Pooled().WithOutput(HeadOutput.Sigmoid))
            .WithInputSize(64)
            .WithClasses("cat", "dog")
            .Build();
        Assert.Equal(2_223_872 + 1_281, trainer.TrainableParameterCount);
        Assert.Equal(34_112, trainer.BatchNormStatisticCount);

        using var frozen = ImageClassifier.Create()
            .UseArchitecture(Architectures.MobileNetV2).FromScratch().Freeze(TransferKit.Training.Freezing.FreezeDepth.Backbone)
            .WithHead(HeadSpec.Pooled().WithOutput(HeadOutput.Sigmoid))
            .WithInputSize(64)
            .WithClasses("cat", "dog")
            .Build();
        Assert.Equal(1_281, frozen.TrainableParameterCount);
        Assert.Equal(2_223_872, frozen.FrozenParameterCount);
    }

    [Fact]
    public void EveryOptionIsCheckedAtBuildAndNamed()
    {
        Assert.Contains("TrainingOptions.Epochs", Assert.Throws<ArgumentException>(() => Transfer(o => o.Epochs = 0).Build()).Message);
        Assert.Contains("TrainingOptions.LabelSmoothing", Assert.Throws<ArgumentException>(() => Transfer(o => o.LabelSmoothing = 1).Build()).Message);
        Assert.Contains("BackboneLearningRateMultiplier", Assert.Throws<ArgumentException>(() => Transfer(o => o.BackboneLearningRateMultiplier = 2).Build()).Message);
        Assert.Contains("ClassWeights", Assert.Throws<ArgumentException>(() => Transfer(o => o.ClassWeights = [1f]).WithClasses("a", "b").Build()).Message);
        Assert.Contains("features.0", Assert.Throws<ArgumentException>(() => Transfer().FreezeUpTo("layer9").WithClasses("a", "b").Build()).Message);
        Assert.Contains("Sigmoid", Assert.Throws<ArgumentException>(() => Transfer().WithHead(HeadSpec.Pooled().WithOutput(HeadOutput.Sigmoid)).WithClasses("a", "b", "c").Build()).Message);
        Assert.Throws<InvalidOperationException>(() => ImageClassifier.Create().Build());
        Assert.Throws<InvalidOperationException>(() => ImageClassifier.Create().UseArchitecture(Architectures.ResNet18).Build());
        Assert.Throws<InvalidOperationException>(() => Transfer().Build().TrainableParameterCount);
    }

    [Fact]
    public void AZeroOrNonFiniteNormalisationIsRefusedAtBuild_NamingTheOption()
    {
        static PreprocessingSpec With(NormalizationSpec n) => new(Size, Size, ResizeInterpolation.Bilinear, n);
        string zeroStd = Assert.Throws<ArgumentException>(() => Transfer().WithPreprocessing(With(new([0.5f, 0.5f, 0.5f], [0.5f, 0f, 0.5f]))).Build()).Message;
        Assert.Contains("PreprocessingSpec.Normalization.Std[1]", zeroStd);
        Assert.Contains("PreprocessingSpec.Normalization.Mean[2]",
            Assert.Throws<ArgumentException>(() => Transfer().WithPreprocessing(With(new([0.5f, 0.5f, float.NaN], [0.5f, 0.5f, 0.5f]))).Build()).Message);
        Assert.Contains("PreprocessingSpec.InputSize",
            Assert.Throws<ArgumentException>(() => Transfer().WithPreprocessing(PreprocessingSpec.ImageNet224 with { InputSize = 2_000_000_000, ResizeSize = 2_000_000_000 }).Build()).Message);
    }

    [Fact]
    public async Task EarlyStoppingProgressAndCancellation()
    {
        var seen = new List<TrainingProgress>();
        using var trainer = Transfer(o =>
        {
            o.Epochs = 30;
            o.LearningRate = 1e-9;
            o.EarlyStopping = new EarlyStoppingOptions { Metric = MonitoredMetric.ValidationAccuracy, Patience = 1 };
        }).WithClasses("cat", "dog").Build();
        var result = await trainer.FitAsync(Train, Train, new SynchronousProgress(seen.Add));
        Assert.True(result.StoppedEarly);
        Assert.True(result.Epochs.Count < 30);
        Assert.Contains(seen, p => p.Phase == TrainingPhase.CachingFeatures);
        Assert.Contains(seen, p => p.Phase == TrainingPhase.Training && p.Loss is not null);

        using var cts = new CancellationTokenSource();
        using var cancelled = Transfer(o => o.Epochs = 50).WithClasses("cat", "dog").Build();
        var task = cancelled.FitAsync(Train, null, new SynchronousProgress(p => { if (p.Epoch == 2) cts.Cancel(); }), cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }

    [Fact]
    public async Task BadImagesAreSkippedAndReported()
    {
        var good = Enumerable.Range(0, 8).Select(i => JpegEncoder.Encode(SyntheticImageTask.CatsAndDogs.Render(i % 2, Size, Size, 300 + i))).ToList();
        var bytes = good.Concat([Array.Empty<byte>(), good[0][..(good[0].Length * 3 / 5)]]).ToList();
        var data = InMemoryImageDataset.FromEncoded(bytes, [0, 1, 0, 1, 0, 1, 0, 1, 0, 1], ["cat", "dog"], [.. Enumerable.Range(0, 10).Select(i => $"img{i}.jpg")]);
        using var trainer = Transfer(o => o.Epochs = 2).WithClasses("cat", "dog").Build();
        await trainer.FitAsync(data);
        Assert.Equal(2, trainer.BadImages!.Count);
        Assert.Contains(trainer.BadImages.Items, b => b.SourceName == "img8.jpg" && b.Failure == ImageDecodeFailure.Empty);
        Assert.Contains(trainer.BadImages.Items, b => b.SourceName == "img9.jpg" && b.Failure == ImageDecodeFailure.Truncated);
    }

    [Fact]
    public async Task AFileCacheIsReusedWithItsBadImages_OnlyForTheSameContent()
    {
        var good = Enumerable.Range(0, 8).Select(i => JpegEncoder.Encode(SyntheticImageTask.CatsAndDogs.Render(i % 2, Size, Size, 300 + i))).ToList();
        string[] names = [.. Enumerable.Range(0, 9).Select(i => $"img{i}.jpg")];
        int[] labels = [0, 1, 0, 1, 0, 1, 0, 1, 0];
        var data = InMemoryImageDataset.FromEncoded([.. good, good[0][..(good[0].Length / 2)]], labels, ["cat", "dog"], names);
        // The same names over other pictures: a fingerprint of names alone would reuse the first run's activations.
        var other = InMemoryImageDataset.FromEncoded([.. good.Select((_, i) => good[(i + 2) % 8]), good[0][..(good[0].Length / 2)]], labels, ["cat", "dog"], names);
        var cacheOptions = new ActivationCacheOptions { Storage = CacheStorage.MappedFile, Directory = Path.Combine(_dir, "cache") };
        ImageClassifierTrainer Build() => Transfer(o => { o.Epochs = 2; o.Cache = cacheOptions; }).WithClasses("cat", "dog").Build();

        using var first = Build();
        await first.FitAsync(data);
        using var second = Build();
        await second.FitAsync(data);
        using var third = Build();
        await third.FitAsync(other);

        Assert.StartsWith("cache file", first.CacheDecision);
        Assert.StartsWith("reused cache file", second.CacheDecision);
        Assert.StartsWith("cache file", third.CacheDecision);
        Assert.Equal(first.BadImages!.Items, second.BadImages!.Items);
        Assert.Equal("img8.jpg", Assert.Single(second.BadImages.Items).SourceName);
        Assert.Equal(State(first), State(second));
        Assert.NotEqual(State(first), State(third));
    }

    [Fact]
    public async Task AFloat16CacheStopsBeforeTrainingWhenActivationsOverflowIt_NamingTheImage_AndBFloat16Trains()
    {
        // A backbone whose first convolution is scaled by 1e6: its frozen features reach millions.
        string path = Path.Combine(_dir, "loud.safetensors");
        using (var net = new BaselineCnn(new BaselineCnnOptions { Channels = Backbone.Channels, Classes = 5, Seed = 3 }))
        {
            var state = net.StateDict();
            var first = state.First(kv => kv.Key.EndsWith(".weight", StringComparison.Ordinal) && kv.Value.Shape.Rank == 4).Value.Span;
            for (int i = 0; i < first.Length; i++) first[i] *= 1e6f;
            SafetensorsWriter.Write(path, state);
        }
        ImageClassifierTrainer Build(CachePrecision precision) => ImageClassifier.Create()
            .UseBaselineCnn(Backbone).UsePretrainedWeights(path).WithInputSize(Size).WithClasses("cat", "dog")
            .WithTraining(o => { o.Epochs = 1; o.BatchSize = 8; o.Cache = new() { Storage = CacheStorage.Memory, Precision = precision }; })
            .Build();

        using var half = Build(CachePrecision.Float16);
        var error = await Assert.ThrowsAsync<CachePrecisionException>(() => half.FitAsync(Train));
        using var brain = Build(CachePrecision.BFloat16);
        var result = await brain.FitAsync(Train);

        Assert.StartsWith(Train.GetSourceName(error.SampleIndex) + ": its frozen-prefix activations reach", error.Message);
        Assert.True(error.Magnitude > 65504);
        Assert.Single(result.Epochs);
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

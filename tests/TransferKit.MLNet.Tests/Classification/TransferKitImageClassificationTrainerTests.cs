using Microsoft.ML;
using Microsoft.ML.Data;
using TransferKit.Api;
using TransferKit.MLNet.Classification;
using TransferKit.Testing;

namespace TransferKit.MLNet.Tests.Classification;

public sealed class TransferKitImageClassificationTrainerTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void FitsEvaluatesSavesLoadsAndPredictsThroughAPipeline(int classes)
    {
        var ml = new MLContext(seed: 1);
        var log = new List<string>();
        ml.Log += (_, e) => { if (e.Source.Contains("TransferKit", StringComparison.Ordinal)) lock (log) log.Add(e.Message); };
        var data = ml.Data.LoadFromEnumerable(MlNetFixtures.Rows(classes, perClass: 8));
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.25, seed: 1);

        var epochs = new List<Training.Callbacks.EpochResult>();
        var options = MlNetFixtures.TinyOptions(epochs: 2);
        options.MetricsCallback = epochs.Add;
        var model = MlNetFixtures.Pipeline(ml, options).Fit(split.TrainSet);
        Assert.Equal(2, epochs.Count);
        Assert.Contains(log, m => m.Contains("Epoch:", StringComparison.Ordinal) && m.Contains("Cross-Entropy", StringComparison.Ordinal) && m.Contains("Learning Rate", StringComparison.Ordinal));

        var scored = model.Transform(split.TestSet);
        var score = scored.Schema["Score"];
        Assert.Equal(classes, ((VectorDataViewType)score.Type).Size);
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        score.GetSlotNames(ref slotNames);
        Assert.Equal(MlNetFixtures.ShapeClasses.Take(classes), slotNames.DenseValues().Select(s => s.ToString()));
        Assert.IsType<KeyDataViewType>(scored.Schema["PredictedLabel"].Type);

        var metrics = ml.MulticlassClassification.Evaluate(scored, labelColumnName: "LabelKey", topKPredictionCount: 2);
        Assert.InRange(metrics.MicroAccuracy, 0, 1);
        Assert.True(double.IsFinite(metrics.LogLoss));
        Assert.Equal(classes, metrics.ConfusionMatrix.NumberOfClasses);
        Assert.Equal(1, metrics.TopKAccuracyForAllK[^1], 6);

        var rows = ml.Data.CreateEnumerable<ScoredRow>(scored, reuseRowObject: false).ToList();
        foreach (var row in rows)
        {
            Assert.Equal(1f, row.Score.Sum(), 4);
            Assert.Contains(row.PredictedLabelValue, MlNetFixtures.ShapeClasses);
        }

        using var dir = new TempDirectory("tk-mlnet-");
        string path = dir.PathOf("model.zip");
        ml.Model.Save(model, data.Schema, path);
        var fresh = new MLContext();
        var loaded = fresh.Model.Load(path, out var inputSchema);
        Assert.Equal(data.Schema["Image"].Type, inputSchema["Image"].Type);
        var reloaded = fresh.Data.CreateEnumerable<ScoredRow>(loaded.Transform(split.TestSet), reuseRowObject: false).ToList();
        Assert.Equal(rows.Select(r => r.Score), reloaded.Select(r => r.Score));
        Assert.Equal(rows.Select(r => r.PredictedLabelValue), reloaded.Select(r => r.PredictedLabelValue));

        var engine = fresh.Model.CreatePredictionEngine<ImageRow, ScoredRow>(loaded);
        var testRows = fresh.Data.CreateEnumerable<ImageRow>(split.TestSet, reuseRowObject: false).ToList();
        for (int i = 0; i < testRows.Count; i++)
        {
            var p = engine.Predict(testRows[i]);
            Assert.Equal(rows[i].Score, p.Score);
            Assert.Equal(rows[i].PredictedLabelValue, p.PredictedLabelValue);
        }
    }

    [Fact]
    public async Task EndsWithTheSameWeightsAsTheBuilderGivenTheSameOptionsAndSeed()
    {
        var ml = new MLContext(seed: 1);
        var rows = MlNetFixtures.Rows(classes: 3, perClass: 6);
        var options = MlNetFixtures.TinyOptions(epochs: 2, seed: 5);
        var keyed = ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Fit(ml.Data.LoadFromEnumerable(rows));
        var transformer = ml.MulticlassClassification.Trainers.TransferKitImageClassification(options)
            .Fit(keyed.Transform(ml.Data.LoadFromEnumerable(rows)));

        // The same run through the TransferKit builder: MapValueToKey numbers the classes in order of first appearance.
        var classNames = MlNetFixtures.ShapeClasses;
        var dataset = TransferKit.Data.Datasets.InMemoryImageDataset.FromEncoded(
            [.. rows.Select(r => r.Image)], [.. rows.Select(r => Array.IndexOf(classNames, r.Label))], classNames);
        using var trainer = ImageClassifier.Create()
            .UseBaselineCnn(TinyModels.Backbone(seed: 5))
            .WithInputSize(TinyModels.InputSize)
            .WithClasses(classNames)
            .WithTraining(o =>
            {
                o.Epochs = 2;
                o.BatchSize = 8;
                o.LearningRate = 0.01f;
                o.Optimizer = OptimizerKind.Adam;
                o.Momentum = 0;
                o.Schedule = new Training.Schedules.ExponentialDecaySchedule();
                o.Seed = 5;
            })
            .Build();
        await trainer.FitAsync(dataset);

        var expected = trainer.Model.Network.StateDict();
        var actual = transformer.Model.Network.StateDict();
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected)
            Assert.True(tensor.ReadOnlySpan.SequenceEqual(actual[name].ReadOnlySpan), $"{name} differs");
        transformer.Dispose();
    }

    [Fact]
    public void ServesFromManyThreadsWithOneEnginePerThread()
    {
        var ml = new MLContext(seed: 1);
        var rows = MlNetFixtures.Rows(classes: 2, perClass: 6);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = MlNetFixtures.Pipeline(ml, MlNetFixtures.TinyOptions(epochs: 1)).Fit(data);
        var expected = ml.Data.CreateEnumerable<ScoredRow>(model.Transform(data), reuseRowObject: false).Select(r => r.Score).ToList();

        // PredictionEngine is not thread-safe (ML.NET's rule); a pool hands one engine to each thread at a time.
        var pool = new System.Collections.Concurrent.ConcurrentBag<PredictionEngine<ImageRow, ScoredRow>>();
        var results = new float[rows.Count][];
        Parallel.For(0, rows.Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            if (!pool.TryTake(out var engine)) engine = ml.Model.CreatePredictionEngine<ImageRow, ScoredRow>(model);
            results[i % rows.Count] = engine.Predict(rows[i % rows.Count]).Score;
            pool.Add(engine);
        });
        Assert.Equal(expected, results);
    }
}

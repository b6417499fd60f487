using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Synthetic;
using TransferKit.Models;
using TransferKit.MLNet;
using TransferKit.MLNet.Classification;
using TransferKit.Training.Freezing;

namespace TransferKit.Benchmarks;

/// <summary>
/// The cost of coming through ML.NET (issue: at most 5% of a frozen-backbone epoch): one epoch of MobileNetV2 with its
/// backbone frozen and no activation cache, on 64 encoded 96 x 96 PNGs, trained by the TransferKit builder from an
/// in-memory dataset (the baseline) and by the ML.NET trainer from an IDataView of the same bytes and key labels; and
/// the IDataView-to-dataset read alone.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(1)]
[IterationCount(5)]
[InvocationCount(1)]
public class MlNetDataPathBenchmarks
{
    private const int Images = 64, Size = 96, Seed = 3;
    private readonly MLContext _ml = new(seed: 1);
    private byte[][] _bytes = [];
    private int[] _labels = [];
    private IDataView? _keyed;

    private sealed class Row
    {
        public byte[] Image { get; set; } = [];

        public string Label { get; set; } = "";
    }

    [GlobalSetup]
    public void Setup()
    {
        var task = SyntheticImageTask.CatsAndDogs;
        _bytes = [.. Enumerable.Range(0, Images).Select(i => Data.Decoding.PngEncoder.Encode(task.Render(i % 2, Size, Size, Seed * 1000 + i)))];
        _labels = [.. Enumerable.Range(0, Images).Select(i => i % 2)];
        var rows = _ml.Data.LoadFromEnumerable(_bytes.Select((b, i) => new Row { Image = b, Label = task.ClassNames[_labels[i]] }).ToList());
        _keyed = _ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Fit(rows).Transform(rows);
    }

    [Benchmark(Baseline = true)]
    public double BuilderEpoch()
    {
        var data = InMemoryImageDataset.FromEncoded(_bytes, _labels, SyntheticImageTask.CatsAndDogs.ClassNames);
        using var trainer = ImageClassifier.Create().UseArchitecture(Architectures.MobileNetV2).FromScratch()
            .Freeze(FreezeDepth.Backbone).WithInputSize(Size).WithClasses([.. SyntheticImageTask.CatsAndDogs.ClassNames])
            .WithTraining(Configure).Build();
        return trainer.FitAsync(data).GetAwaiter().GetResult().Epochs[0].TrainLoss;
    }

    [Benchmark]
    public int MlNetEpoch()
    {
        var options = new TransferKitImageClassificationOptions
        {
            FeatureColumnName = "Image", LabelColumnName = "LabelKey", Arch = Architectures.MobileNetV2, FromScratch = true,
            Freeze = FreezeDepth.Backbone, InputSize = Size, EarlyStoppingCriteria = null, ValidationSetFraction = null,
            ConfigureTraining = Configure,
        };
        using var model = _ml.MulticlassClassification.Trainers.TransferKitImageClassification(options).Fit(_keyed!);
        return model.ClassNames.Count;
    }

    [Benchmark]
    public int ReadRowsOnly()
    {
        var schema = _keyed!.Schema;
        var (data, _) = MLNet.Data.ImageRows.ReadLabelled(_keyed, schema["Image"], schema["LabelKey"], SyntheticImageTask.CatsAndDogs.ClassNames, "training");
        return data.Count;
    }

    private static void Configure(TrainingOptions o)
    {
        o.Epochs = 1;
        o.BatchSize = 16;
        o.Seed = Seed;
        o.UseActivationCache = false;
        o.Optimizer = OptimizerKind.Adam;
        o.Schedule = Training.Schedules.ConstantSchedule.Instance;
    }
}

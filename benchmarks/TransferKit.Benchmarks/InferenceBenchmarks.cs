using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Models.Inference;
using TransferKit.Tensors;

namespace TransferKit.Benchmarks;

/// <summary>
/// Inference throughput of the catalog's networks (<see cref="Networks"/>: one or two per family): a full forward of
/// batch 16 at each network's catalog input size, random weights (speed does not depend on them), evaluation mode, every
/// parameter frozen, no tape, batch norm folded into the convolutions (and, for comparison, not folded).
/// Run: dotnet run -c Release --project benchmarks/TransferKit.Benchmarks -- --filter '*InferenceBenchmarks*'
/// The peer number comes from benchmarks/peer/inference.py. GFLOP/s counts 2 x torchvision's GFLOPS (multiply-adds) per image.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
[Config(typeof(InferenceConfig))]
public class InferenceBenchmarks
{
    /// <summary>Images per forward pass.</summary>
    public const int Batch = 16;

    private ConvNet _model = null!;
    private FoldedBatchNorm? _folding;
    private Tensor _input = null!;

    /// <summary>
    /// The networks timed by default, here and by <c>peer-inference</c>: one or two per catalog family (the other ResNet
    /// depths only scale ResNet-50's blocks). <c>benchmarks/peer/inference.py</c> builds the same ones.
    /// </summary>
    public static IReadOnlyList<string> Networks { get; } =
        ["resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_large", "efficientnet_b0", "inception_v3", "vgg16", "densenet121"];

    /// <summary>torchvision's builder name of the network.</summary>
    [ParamsSource(nameof(Networks))]
    public string Architecture { get; set; } = "";

    /// <summary>Whether batch norm is folded into the convolutions.</summary>
    [Params(true, false)]
    public bool FoldBatchNorm { get; set; }

    /// <summary>The catalog entry for a builder name.</summary>
    public static ArchitectureInfo Resolve(string name) => Architectures.Get(name);

    [GlobalSetup]
    public void Setup()
    {
        var info = Resolve(Architecture);
        _model = info.CreateImageNet();
        _model.Eval();
        _model.SetTrainable(false);
        if (FoldBatchNorm) _folding = BatchNormFolding.Fold(_model);
        int size = info.Preprocessing.InputSize;
        _input = Tensor.Empty(Batch, 3, size, size);
        var random = new Random(1);
        var span = _input.Span;
        for (int i = 0; i < span.Length; i++) span[i] = (float)(random.NextDouble() * 2 - 1);
    }

    /// <summary>One forward pass of the batch; returns a logit so the work is not elided.</summary>
    [Benchmark]
    public float Forward()
    {
        using var noGrad = GradMode.NoGrad();
        using var logits = _model.Forward(_input);
        return logits.Span[0];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _folding?.Dispose();
        _model.Dispose();
        _input.Dispose();
    }

    private sealed class InferenceConfig : ManualConfig
    {
        public InferenceConfig()
        {
            AddColumn(ThroughputColumn.Gflops(c => c.Parameters[nameof(Architecture)] is string name ? 2e9 * Resolve(name).GigaFlops * Batch : null));
            AddColumn(new ImagesPerSecondColumn());
        }
    }

    /// <summary>Images per second: the batch over the mean time of one forward pass.</summary>
    private sealed class ImagesPerSecondColumn : IColumn
    {
        public string Id => nameof(ImagesPerSecondColumn);

        public string ColumnName => "img/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 1;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => $"Images per second: {Batch} divided by the mean time of one forward pass";

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var stats = summary[benchmarkCase]?.ResultStatistics;
            return stats is null ? "-" : (Batch * 1e9 / stats.Mean).ToString("F1", CultureInfo.InvariantCulture);
        }
    }
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using TransferKit.Models;

namespace TransferKit.Benchmarks;

/// <summary>
/// One fine-tuning step of ResNet-50 at 224, batch 16, with layer4 and the head training (see <see cref="FineTuneStep"/>):
/// frozen stem..layer3 forward without a tape, layer4 + head forward and backward, Adam. With
/// <see cref="FoldFrozenBatchNorm"/> the frozen prefix runs with BatchNorm folded into its convolutions.
/// Run: dotnet run -c Release --project benchmarks/TransferKit.Benchmarks -- --filter '*FineTuneStep*'
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
[Config(typeof(ImagesPerSecondConfig))]
public class FineTuneStepBenchmarks
{
    /// <summary>Images per step.</summary>
    public const int Batch = 16;

    private FineTuneStep? _step;

    /// <summary>Whether the frozen prefix's BatchNorm is folded into its convolutions (the trainer does not fold).</summary>
    [ParamsAllValues]
    public bool FoldFrozenBatchNorm { get; set; }

    /// <summary>Builds the network, the freeze and the batch.</summary>
    [GlobalSetup]
    public void Setup() => _step = new FineTuneStep(Architectures.ResNet50, Batch, FoldFrozenBatchNorm);

    /// <summary>Frozen prefix forward, trainable suffix forward and backward, Adam update.</summary>
    [Benchmark]
    public float Step() => _step!.Run();

    /// <summary>Releases native memory.</summary>
    [GlobalCleanup]
    public void Cleanup() => _step?.Dispose();

    /// <summary>Adds the images/s column.</summary>
    private sealed class ImagesPerSecondConfig : ManualConfig
    {
        public ImagesPerSecondConfig() => AddColumn(ThroughputColumn.ImagesPerSecond(_ => Batch));
    }
}

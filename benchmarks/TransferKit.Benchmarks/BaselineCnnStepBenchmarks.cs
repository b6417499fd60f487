using BenchmarkDotNet.Attributes;

namespace TransferKit.Benchmarks;

/// <summary>One baseline-CNN training step at batch 32, 128x128, 2 classes (images/s = 32 / mean).</summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
public class BaselineCnnStepBenchmarks
{
    private BaselineCnnStep _step = null!;

    /// <summary>Builds the model and batch.</summary>
    [GlobalSetup]
    public void Setup() => _step = new BaselineCnnStep();

    /// <summary>Forward, loss, backward and SGD update.</summary>
    [Benchmark]
    public float TrainStep() => _step.Run();

    /// <summary>Releases native memory.</summary>
    [GlobalCleanup]
    public void Cleanup() => _step.Dispose();
}

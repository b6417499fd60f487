using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Benchmarks;

/// <summary>
/// Square single-precision GEMM, C = A·B (no transposes, beta = 0), for each provider at 256, 1024 and 2048.
/// A GFLOP/s column (2 n^3 / mean time) sits beside the times.
/// Run: dotnet run -c Release --project benchmarks/TransferKit.Benchmarks -- --filter '*Gemm*'
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
[Config(typeof(GflopsConfig))]
public unsafe class GemmBenchmarks
{
    private float* _a;
    private float* _b;
    private float* _c;
    private IGemmProvider _provider = null!;

    /// <summary>Rows = columns = depth.</summary>
    [Params(256, 1024, 2048)]
    public int Size { get; set; }

    /// <summary>Which provider runs.</summary>
    [ParamsAllValues]
    public GemmProviderKind Provider { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _provider = GemmProviders.Create(Provider);
        nuint bytes = (nuint)Size * (nuint)Size * sizeof(float);
        _a = (float*)NativeMemory.AlignedAlloc(bytes, 64);
        _b = (float*)NativeMemory.AlignedAlloc(bytes, 64);
        _c = (float*)NativeMemory.AlignedAlloc(bytes, 64);
        var rng = new Random(42);
        for (long i = 0; i < (long)Size * Size; i++)
        {
            _a[i] = rng.NextSingle() - 0.5f;
            _b[i] = rng.NextSingle() - 0.5f;
            _c[i] = 0;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(_a);
        NativeMemory.AlignedFree(_b);
        NativeMemory.AlignedFree(_c);
    }

    [Benchmark]
    public void SgemmNN() => _provider.Sgemm(false, false, Size, Size, Size, 1f, _a, Size, _b, Size, 0f, _c, Size);

    /// <summary>Adds the GFLOP/s column: 2 n^3 per call.</summary>
    private sealed class GflopsConfig : ManualConfig
    {
        public GflopsConfig() => AddColumn(ThroughputColumn.Gflops(c => c.Parameters[nameof(Size)] is int n ? 2.0 * n * n * n : null));
    }
}
